package org.cnnsimplifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.cnnsimplifier.support.LearnableFixtures;
import org.cnnsimplifier.support.PostgresTestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole service over HTTP on PostgreSQL: upload a model and a data set, create a PROGRESSIVE
 * job, follow its Server-Sent Events to the end, download the simplified model and its report.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "cnn.security.api-keys=alice:alice-key,bob:bob-key",
      "cnn.workers.poll-interval=200ms",
      "cnn.workers.heartbeat=1s",
      "cnn.workers.lease=20s"
    })
@ActiveProfiles("postgres")
class EndToEndTest {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  @TempDir static Path dataDir;

  @LocalServerPort int port;
  @Autowired JdbcClient jdbc;
  private final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void database(DynamicPropertyRegistry registry) {
    PostgresTestDatabase.register(registry);
    registry.add("cnn.data-dir", () -> dataDir.toString());
  }

  @BeforeAll
  static void requirePostgres() {
    PostgresTestDatabase.require();
  }

  private HttpRequest.Builder request(String path, String key) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofMinutes(2))
        .header("X-API-Key", key);
  }

  private HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private String upload(String path, byte[] body) throws Exception {
    HttpResponse<String> response =
        send(
            request(path, "alice-key")
                .header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body()).get("id").asText();
  }

  private HttpResponse<String> createJob(String body, String key) throws Exception {
    return send(
        request("/api/v1/jobs", "alice-key")
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** Reads a whole event stream: (id, name, data) triples until the server closes it. */
  private List<String[]> readEvents(String path, String lastEventId) throws Exception {
    HttpRequest.Builder builder = request(path, "alice-key").header("Accept", "text/event-stream");
    if (lastEventId != null) {
      builder.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<java.io.InputStream> response =
        http.send(builder.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    List<String[]> events = new ArrayList<>();
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
          events.add(new String[] {id, name, data.toString()});
          id = null;
          name = null;
          data.setLength(0);
        }
      }
    }
    return events;
  }

  @Test
  void uploadsSimplifiesFollowsAndDownloads(@TempDir Path tmp) throws Exception {
    jdbc.sql("DELETE FROM job_event").update();
    jdbc.sql("DELETE FROM job").update();
    byte[] modelBytes = LearnableFixtures.modelZip(tmp);
    String modelId = upload("/api/v1/models?name=tiny.zip", modelBytes);
    String datasetId =
        upload("/api/v1/datasets?name=shapes.zip", LearnableFixtures.datasetZip(30, 1));

    String spec =
        """
        {"modelId":"%s","datasetId":"%s","criterion":"L1","strategy":"PROGRESSIVE",
         "policy":{"type":"ratio","ratio":0.5},
         "retraining":{"epochs":2,"batchSize":10,"learningRate":0.01},"seed":7}"""
            .formatted(modelId, datasetId);
    HttpResponse<String> created = createJob(spec, "e2e-1");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    String jobId = JSON.readTree(created.body()).get("id").asText();
    assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/jobs/" + jobId);

    HttpResponse<String> again = createJob(spec, "e2e-1");
    assertThat(JSON.readTree(again.body()).get("id").asText()).isEqualTo(jobId);
    HttpResponse<String> conflict = createJob(spec.replace("\"seed\":7", "\"seed\":8"), "e2e-1");
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(conflict.headers().firstValue("Content-Type")).hasValue("application/problem+json");

    List<String[]> events = readEvents("/api/v1/jobs/" + jobId + "/events", null);
    List<String> names = events.stream().map(e -> e[1]).toList();
    assertThat(names).startsWith("queued", "started").endsWith("succeeded");
    List<JsonNode> steps =
        events.stream().filter(e -> e[1].equals("step")).map(e -> JSON.readTree(e[2])).toList();
    assertThat(steps).extracting(s -> s.get("layer").asText()).containsExactly("conv1", "conv2");
    assertThat(steps).extracting(s -> s.get("kernelsAfter").asInt()).containsExactly(3, 2);

    // Resuming the stream after the first step gives exactly the events after it.
    String firstStepId = events.stream().filter(e -> e[1].equals("step")).findFirst().get()[0];
    List<String[]> rest = readEvents("/api/v1/jobs/" + jobId + "/events", firstStepId);
    assertThat(rest.get(0)[0]).isNotEqualTo(firstStepId);
    assertThat(rest.stream().map(e -> e[0]).toList())
        .isEqualTo(
            events.subList(names.indexOf("step") + 1, events.size()).stream()
                .map(e -> e[0])
                .toList());

    // Pollers get the same events as JSON.
    JsonNode polled =
        JSON.readTree(
            send(request("/api/v1/jobs/" + jobId + "/events?after=0&limit=1000", "alice-key")
                    .header("Accept", "application/json")
                    .GET()
                    .build())
                .body());
    assertThat(polled.size()).isEqualTo(events.size());

    JsonNode job =
        JSON.readTree(send(request("/api/v1/jobs/" + jobId, "alice-key").GET().build()).body());
    assertThat(job.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(job.get("progress").get("percent").asDouble()).isEqualTo(100.0);

    HttpResponse<byte[]> result =
        http.send(
            request("/api/v1/jobs/" + jobId + "/result", "alice-key").GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(result.statusCode()).isEqualTo(200);
    Path simplifiedFile = tmp.resolve("simplified.zip");
    Files.write(simplifiedFile, result.body());
    Path originalFile = tmp.resolve("original.zip");
    Files.write(originalFile, modelBytes);
    CnnModel simplified = ModelFiles.read(simplifiedFile);
    CnnModel original = ModelFiles.read(originalFile);
    assertThat(simplified.numParams()).isLessThan(original.numParams());

    JsonNode report =
        JSON.readTree(
            send(request("/api/v1/jobs/" + jobId + "/report", "alice-key").GET().build()).body());
    assertThat(report.get("original").get("params").asLong()).isEqualTo(original.numParams());
    assertThat(report.get("simplified").get("params").asLong()).isEqualTo(simplified.numParams());
    assertThat(report.get("steps")).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(report.get("steps").get(i).get("paramsAfter"))
          .isEqualTo(steps.get(i).get("paramsAfter"));
      assertThat(report.get("steps").get(i).get("removedKernels"))
          .isEqualTo(steps.get(i).get("removedKernels"));
    }

    // Another owner sees nothing of it.
    assertThat(send(request("/api/v1/jobs/" + jobId, "bob-key").GET().build()).statusCode())
        .isEqualTo(404);
    assertThat(send(request("/api/v1/jobs/" + jobId, "wrong").GET().build()).statusCode())
        .isEqualTo(401);
  }
}
