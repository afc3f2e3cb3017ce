package org.cnnsimplifier.deploy;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cnnsimplifier.support.PostgresTestDatabase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Service processes sharing one PostgreSQL schema and the database blob store, as pods do: an API
 * process and worker-only processes, and direct reads of the schema to check what happened.
 */
final class Cluster {
  static final ObjectMapper JSON = JsonMapper.builder().build();
  static final String KEY = "alice-key";

  private final String schema;
  private final Path dir;
  private final Map<String, String> overrides;

  Cluster(String schema, Path dir, Map<String, String> overrides) {
    this.schema = schema;
    this.dir = dir;
    this.overrides = overrides;
  }

  String url() {
    String url = PostgresTestDatabase.url();
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  Connection database() throws Exception {
    return DriverManager.getConnection(
        url(), PostgresTestDatabase.user(), PostgresTestDatabase.password());
  }

  /** An API-only process ({@code worker = false}) or a worker-only one. */
  ServiceProcess start(String name, boolean worker) throws Exception {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("spring.flyway.schemas", schema);
    settings.put("spring.flyway.default-schema", schema);
    settings.put("spring.profiles.active", "postgres");
    settings.put("spring.datasource.url", url());
    settings.put("spring.datasource.username", PostgresTestDatabase.user());
    settings.put("spring.datasource.password", PostgresTestDatabase.password());
    settings.put("cnn.security.api-keys", "alice:" + KEY);
    // Every process of a node shares its data directory, as the processes of one host would.
    settings.put("cnn.data-dir", dir.resolve("data").toString());
    settings.put("cnn.workers.work-dir", dir.resolve("work").toString());
    settings.put("cnn.blobs.store", "database");
    settings.put("cnn.workers.enabled", Boolean.toString(worker));
    settings.put("cnn.api.enabled", Boolean.toString(!worker));
    settings.putAll(overrides);
    return ServiceProcess.start(dir.resolve(name), settings);
  }

  /** Empties the schema's jobs, models and data sets (after the first process migrated it). */
  void clear() throws Exception {
    try (Connection db = database()) {
      for (String table : List.of("job_review", "job_event", "job", "model", "dataset")) {
        db.createStatement().executeUpdate("DELETE FROM " + table);
      }
    }
  }

  static String upload(ServiceProcess api, String path, byte[] body) throws Exception {
    HttpResponse<String> response =
        api.send(
            api.request(path)
                .header("X-API-Key", KEY)
                .header("Content-Type", "application/zip")
                .timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    if (response.statusCode() != 201) {
      throw new AssertionError(response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body()).get("id").asText();
  }

  static HttpResponse<String> createJob(ServiceProcess api, String spec) throws Exception {
    return api.send(
        api.request("/api/v1/jobs")
            .header("X-API-Key", KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(spec))
            .build());
  }

  /** One job event as stored. */
  record Event(long id, String type, JsonNode payload) {}

  List<Event> events(UUID jobId) throws Exception {
    try (Connection db = database();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT id, type, payload FROM job_event WHERE job_id = ? ORDER BY id")) {
      query.setObject(1, jobId);
      List<Event> events = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          events.add(
              new Event(
                  rows.getLong("id"),
                  rows.getString("type"),
                  JSON.readTree(rows.getString("payload"))));
        }
      }
      return events;
    }
  }

  /** Columns of a job's row. */
  Map<String, Object> job(UUID id) throws Exception {
    try (Connection db = database();
        PreparedStatement query = db.prepareStatement("SELECT * FROM job WHERE id = ?")) {
      query.setObject(1, id);
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          return Map.of();
        }
        Map<String, Object> job = new LinkedHashMap<>();
        for (int i = 1; i <= row.getMetaData().getColumnCount(); i++) {
          job.put(row.getMetaData().getColumnName(i), row.getObject(i));
        }
        return job;
      }
    }
  }

  /** Running jobs and the worker holding each. */
  Map<UUID, String> running() throws Exception {
    try (Connection db = database();
        ResultSet rows =
            db.createStatement()
                .executeQuery("SELECT id, worker_id FROM job WHERE state = 'RUNNING'")) {
      Map<UUID, String> running = new LinkedHashMap<>();
      while (rows.next()) {
        running.put(rows.getObject("id", UUID.class), rows.getString("worker_id"));
      }
      return running;
    }
  }

  /**
   * Whether two attempts of the job ever ran at once: each {@code started} after the first must
   * follow a {@code rescued}, {@code handed_back}, {@code retrying} or {@code resumed} that took
   * the job from the previous attempt.
   */
  static boolean ranTwice(List<Event> events) {
    boolean held = false;
    int succeeded = 0;
    for (Event event : events) {
      switch (event.type()) {
        case "started" -> {
          if (held) {
            return true;
          }
          held = true;
        }
        case "rescued", "handed_back", "retrying", "awaiting_selection" -> held = false;
        case "succeeded" -> succeeded++;
        default -> {}
      }
    }
    return succeeded > 1;
  }
}
