package org.cnnsimplifier.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client of the service's API for integration tests, as one owner (API key). */
public final class ApiClient {
  public static final ObjectMapper JSON = JsonMapper.builder().build();

  private final HttpClient http = HttpClient.newHttpClient();
  private final String base;
  private final String key;

  public ApiClient(int port, String key) {
    this.base = "http://localhost:" + port;
    this.key = key;
  }

  /** A server-sent event. */
  public record Event(String id, String name, String data) {
    public JsonNode json() {
      return JSON.readTree(data);
    }
  }

  public HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofMinutes(2))
        .header("X-API-Key", key);
  }

  public HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> get(String path) throws Exception {
    return send(request(path).GET().build());
  }

  public JsonNode getJson(String path) throws Exception {
    HttpResponse<String> response = get(path);
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  public HttpResponse<byte[]> getBytes(String path) throws Exception {
    return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  public HttpResponse<String> postJson(String path, String body) throws Exception {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** Uploads a zip as the raw body; returns the new id. */
  public String upload(String path, byte[] zip) throws Exception {
    HttpResponse<String> response =
        send(
            request(path)
                .header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zip))
                .build());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body()).get("id").asText();
  }

  /** Reads a job's event stream until the server ends it. */
  public List<Event> events(String jobId, String lastEventId) throws Exception {
    HttpRequest.Builder builder =
        request("/api/v1/jobs/" + jobId + "/events").header("Accept", "text/event-stream");
    if (lastEventId != null) {
      builder.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> response =
        http.send(builder.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    List<Event> events = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String id = null;
      String name = null;
      StringBuilder data = new StringBuilder();
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.startsWith("id:")) {
          id = line.substring(3).trim();
        } else if (line.startsWith("event:")) {
          name = line.substring(6).trim();
        } else if (line.startsWith("data:")) {
          data.append(line.substring(5));
        } else if (line.isEmpty() && id != null) {
          events.add(new Event(id, name, data.toString()));
          id = null;
          name = null;
          data.setLength(0);
        }
      }
    }
    return events;
  }

  /** Polls a job until its JSON satisfies {@code done}; fails after {@code timeout}. */
  public JsonNode awaitJob(String jobId, Predicate<JsonNode> done, Duration timeout)
      throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    JsonNode job = getJson("/api/v1/jobs/" + jobId);
    while (!done.test(job)) {
      assertThat(Instant.now()).as("job %s: %s", jobId, job).isBefore(deadline);
      Thread.sleep(200);
      job = getJson("/api/v1/jobs/" + jobId);
    }
    return job;
  }
}
