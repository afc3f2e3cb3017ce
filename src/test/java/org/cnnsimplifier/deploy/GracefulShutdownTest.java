package org.cnnsimplifier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.cnnsimplifier.support.LearnableFixtures;
import org.cnnsimplifier.support.PostgresTestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a rollout or a node drain does to a running job, with real processes: a worker process
 * receiving SIGTERM mid-job stops at its next batch and hands the job back to the queue with its
 * per-layer checkpoint; a second, worker-only process then resumes from that checkpoint and
 * finishes the job. The two share only PostgreSQL (blobs in the database), as pods do.
 */
class GracefulShutdownTest {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String KEY = "alice-key";

  @TempDir Path tmp;

  @BeforeAll
  static void requirePostgres() {
    PostgresTestDatabase.require();
  }

  /**
   * Its own schema in the test database: Spring test contexts that other test classes leave cached
   * in this JVM run workers on the public schema, and must not claim this test's job.
   */
  private static final String SCHEMA = "graceful_shutdown_test";

  private static String url() {
    String url = PostgresTestDatabase.url();
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA;
  }

  private static Connection database() throws Exception {
    return DriverManager.getConnection(
        url(), PostgresTestDatabase.user(), PostgresTestDatabase.password());
  }

  private Map<String, String> settings(String name) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("spring.flyway.schemas", SCHEMA);
    settings.put("spring.flyway.default-schema", SCHEMA);
    settings.putAll(
        Map.of(
            "spring.profiles.active",
            "postgres",
            "spring.datasource.url",
            url(),
            "spring.datasource.username",
            PostgresTestDatabase.user(),
            "spring.datasource.password",
            PostgresTestDatabase.password(),
            "cnn.security.api-keys",
            "alice:" + KEY,
            "cnn.data-dir",
            tmp.resolve(name).resolve("data").toString(),
            "cnn.workers.work-dir",
            tmp.resolve(name).resolve("work").toString(),
            "cnn.blobs.store",
            "database",
            "cnn.workers.poll-interval",
            "200ms",
            "cnn.workers.heartbeat",
            "1s"));
    return settings;
  }

  @Test
  void aWorkerStoppedMidJobHandsItBackAndAnotherResumesFromTheCheckpoint() throws Exception {
    ServiceProcess first = ServiceProcess.start(tmp.resolve("first"), settings("first"));
    ServiceProcess second = null;
    try {
      first.awaitReady(Duration.ofSeconds(100));
      // After start-up, so Flyway has created the tables on a fresh database.
      try (Connection db = database()) {
        db.createStatement().executeUpdate("DELETE FROM job_event");
        db.createStatement().executeUpdate("DELETE FROM job");
      }
      // The endpoints the image's health check, the chart's probes and its ServiceMonitor use.
      assertThat(first.get("/actuator/health/liveness").statusCode()).isEqualTo(200);
      // Metrics need a key in the postgres profile; health does not.
      assertThat(first.get("/actuator/prometheus").statusCode()).isEqualTo(401);
      assertThat(
              first
                  .send(first.request("/actuator/prometheus").header("X-API-Key", KEY).build())
                  .statusCode())
          .isEqualTo(200);

      String modelId = upload(first, "/api/v1/models?name=tiny.zip", modelZip());
      String datasetId =
          upload(first, "/api/v1/datasets?name=shapes.zip", LearnableFixtures.datasetZip(30, 3));
      // Enough retraining that the second layer is still running well after the first is done.
      String spec =
          """
          {"modelId":"%s","datasetId":"%s","criterion":"L1","strategy":"PROGRESSIVE",
           "policy":{"type":"ratio","ratio":0.5},
           "retraining":{"epochs":20,"batchSize":10,"learningRate":0.01},"seed":11}"""
              .formatted(modelId, datasetId);
      HttpResponse<String> created =
          first.send(
              first
                  .request("/api/v1/jobs")
                  .header("X-API-Key", KEY)
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(spec))
                  .build());
      assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
      UUID jobId = UUID.fromString(JSON.readTree(created.body()).get("id").asText());

      // Layer 1 done: its step is out and its checkpoint follows in the same thread.
      awaitEvent(first, jobId, e -> e.type().equals("step"), Duration.ofSeconds(90));
      Instant sigterm = Instant.now();
      assertThat(first.terminate(Duration.ofSeconds(60)))
          .as("exits well within the pods' grace periods")
          .isTrue();
      Duration shutdown = Duration.between(sigterm, Instant.now());

      try (Connection db = database()) {
        Map<String, Object> job = jobRow(db, jobId);
        assertThat(job.get("state")).as(first.tail()).isEqualTo("QUEUED");
        assertThat((Integer) job.get("checkpoint_layers")).isGreaterThanOrEqualTo(1);
        assertThat(job.get("attempt")).as("shutting down is not a failed attempt").isEqualTo(0);
        assertThat(blobExists(db, (String) job.get("checkpoint_blob"))).isTrue();
        List<Event> events = events(db, jobId);
        assertThat(events)
            .extracting(Event::type)
            .endsWith("handed_back")
            .doesNotContain("succeeded");
      }
      assertThat(shutdown).isLessThan(Duration.ofSeconds(60));

      // A worker-only process, switched by its environment as the chart's worker pods are.
      second =
          ServiceProcess.start(
              tmp.resolve("second"), settings("second"), Map.of("CNN_API_ENABLED", "false"));
      second.awaitReady(Duration.ofSeconds(100));
      HttpResponse<String> api =
          second.send(second.request("/api/v1/jobs").header("X-API-Key", KEY).GET().build());
      assertThat(api.statusCode()).as("a worker serves no API").isEqualTo(404);
      List<Event> events = awaitEnd(jobId, Duration.ofSeconds(120), second);

      assertThat(events)
          .extracting(Event::type)
          .containsSubsequence(
              "started",
              "step",
              "handed_back",
              "started",
              "resumed_from_checkpoint",
              "step",
              "succeeded");
      Event resumed =
          events.stream()
              .filter(e -> e.type().equals("resumed_from_checkpoint"))
              .findFirst()
              .orElseThrow();
      assertThat(resumed.payload().get("layersDone").asInt()).isGreaterThanOrEqualTo(1);
      // Resumed, not started over: every layer was simplified once.
      assertThat(
              events.stream()
                  .filter(e -> e.type().equals("step"))
                  .map(e -> e.payload().get("layer").asText()))
          .containsExactly("conv1", "conv2");
      JsonNode report;
      try (Connection db = database()) {
        report = JSON.readTree((String) jobRow(db, jobId).get("report"));
      }
      assertThat(report.get("steps")).hasSize(2);
    } finally {
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  private byte[] modelZip() throws Exception {
    return LearnableFixtures.modelZip(Files.createDirectories(tmp.resolve("fixtures")));
  }

  private static String upload(ServiceProcess service, String path, byte[] body) throws Exception {
    HttpResponse<String> response =
        service.send(
            service
                .request(path)
                .header("X-API-Key", KEY)
                .header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body()).get("id").asText();
  }

  /** One job event: its type and JSON payload. */
  record Event(String type, JsonNode payload) {}

  /** Polls the service's event feed (as a client would) until an event matches. */
  private static void awaitEvent(
      ServiceProcess service, UUID jobId, Predicate<Event> wanted, Duration timeout)
      throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    long after = 0;
    List<String> seen = new ArrayList<>();
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> response =
          service.send(
              service
                  .request("/api/v1/jobs/" + jobId + "/events?after=" + after + "&limit=1000")
                  .header("X-API-Key", KEY)
                  .header("Accept", "application/json")
                  .GET()
                  .build());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      for (JsonNode node : JSON.readTree(response.body())) {
        after = node.get("id").asLong();
        Event event = new Event(node.get("type").asText(), node.get("payload"));
        seen.add(event.type() + " at " + node.get("createdAt").asText());
        if (event.type().equals("failed") || event.type().equals("retrying")) {
          throw new AssertionError("the job " + event.type() + ": " + event.payload());
        }
        if (wanted.test(event)) {
          return;
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "no such event in " + timeout + "; saw " + seen + "\n" + service.tail());
  }

  /** Polls the job's events in the database until it succeeds; a failure ends the wait. */
  private static List<Event> awaitEnd(UUID jobId, Duration timeout, ServiceProcess worker)
      throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    List<Event> events = List.of();
    while (Instant.now().isBefore(deadline)) {
      try (Connection db = database()) {
        events = events(db, jobId);
      }
      for (Event event : events) {
        if (event.type().equals("succeeded")) {
          return events;
        }
        if (event.type().equals("failed") || event.type().equals("retrying")) {
          throw new AssertionError("the job " + event.type() + ": " + event.payload());
        }
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "not finished in "
            + timeout
            + "; events "
            + events.stream().map(Event::type).toList()
            + "\n"
            + worker.tail());
  }

  private static Map<String, Object> jobRow(Connection db, UUID id) throws Exception {
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT state, attempt, checkpoint_layers, checkpoint_blob, report FROM job"
                + " WHERE id = ?")) {
      query.setObject(1, id);
      try (ResultSet row = query.executeQuery()) {
        assertThat(row.next()).isTrue();
        Map<String, Object> job = new HashMap<>();
        for (String column :
            List.of("state", "attempt", "checkpoint_layers", "checkpoint_blob", "report")) {
          job.put(column, row.getObject(column));
        }
        return job;
      }
    }
  }

  private static boolean blobExists(Connection db, String key) throws Exception {
    try (PreparedStatement query =
        db.prepareStatement("SELECT count(*) FROM blob_chunk WHERE blob_key = ?")) {
      query.setString(1, key);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getLong(1) > 0;
      }
    }
  }

  private static List<Event> events(Connection db, UUID jobId) throws Exception {
    try (PreparedStatement query =
        db.prepareStatement("SELECT type, payload FROM job_event WHERE job_id = ? ORDER BY id")) {
      query.setObject(1, jobId);
      List<Event> events = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          events.add(new Event(rows.getString("type"), JSON.readTree(rows.getString("payload"))));
        }
      }
      return events;
    }
  }
}
