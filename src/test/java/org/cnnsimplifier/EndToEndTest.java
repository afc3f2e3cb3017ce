package org.cnnsimplifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.cnnsimplifier.support.ApiClient;
import org.cnnsimplifier.support.LearnableFixtures;
import org.cnnsimplifier.support.ServiceTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * The whole service over HTTP on the embedded H2 database and on PostgreSQL: upload a model and a
 * data set, create a PROGRESSIVE job, follow its Server-Sent Events to the end, download the
 * simplified model and its report.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "cnn.security.api-keys=alice:alice-key,bob:bob-key",
      "cnn.workers.poll-interval=200ms",
      "cnn.workers.heartbeat=1s",
      "cnn.workers.lease=20s"
    })
abstract class EndToEndTest extends ServiceTest {
  @org.springframework.beans.factory.annotation.Autowired
  private org.cnnsimplifier.workers.TensorStoreDirectory stores;

  @Test
  void uploadsSimplifiesFollowsAndDownloads(@TempDir Path tmp) throws Exception {
    deleteJobs();
    ApiClient alice = new ApiClient(port, "alice-key");
    ApiClient bob = new ApiClient(port, "bob-key");
    ApiClient stranger = new ApiClient(port, "wrong");
    byte[] modelBytes = LearnableFixtures.modelZip(tmp);
    String modelId = alice.upload("/api/v1/models?name=tiny.zip", modelBytes);
    String datasetId =
        alice.upload("/api/v1/datasets?name=shapes.zip", LearnableFixtures.datasetZip(30, 1));

    String spec =
        """
        {"modelId":"%s","datasetId":"%s","criterion":"L1","strategy":"PROGRESSIVE",
         "policy":{"type":"ratio","ratio":0.5},
         "retraining":{"epochs":2,"batchSize":10,"learningRate":0.01},"seed":7}"""
            .formatted(modelId, datasetId);
    HttpResponse<String> created = createJob(alice, spec, "e2e-1");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    String jobId = ApiClient.JSON.readTree(created.body()).get("id").asText();
    assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/jobs/" + jobId);

    HttpResponse<String> again = createJob(alice, spec, "e2e-1");
    assertThat(ApiClient.JSON.readTree(again.body()).get("id").asText()).isEqualTo(jobId);
    HttpResponse<String> conflict =
        createJob(alice, spec.replace("\"seed\":7", "\"seed\":8"), "e2e-1");
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(conflict.headers().firstValue("Content-Type")).hasValue("application/problem+json");

    List<ApiClient.Event> events = alice.events(jobId, null);
    List<String> names = events.stream().map(ApiClient.Event::name).toList();
    assertThat(names).startsWith("queued", "started").endsWith("succeeded");
    List<JsonNode> steps =
        events.stream().filter(e -> e.name().equals("step")).map(ApiClient.Event::json).toList();
    assertThat(steps).extracting(s -> s.get("layer").asText()).containsExactly("conv1", "conv2");
    assertThat(steps).extracting(s -> s.get("kernelsAfter").asInt()).containsExactly(3, 2);

    // Resuming the stream after the first step gives exactly the events after it.
    String firstStepId = events.get(names.indexOf("step")).id();
    List<ApiClient.Event> rest = alice.events(jobId, firstStepId);
    assertThat(rest.stream().map(ApiClient.Event::id).toList())
        .isEqualTo(
            events.subList(names.indexOf("step") + 1, events.size()).stream()
                .map(ApiClient.Event::id)
                .toList());

    // Pollers get the same events as JSON.
    JsonNode polled =
        ApiClient.JSON.readTree(
            alice
                .send(
                    alice
                        .request("/api/v1/jobs/" + jobId + "/events?after=0&limit=1000")
                        .header("Accept", "application/json")
                        .GET()
                        .build())
                .body());
    assertThat(polled.size()).isEqualTo(events.size());

    JsonNode job = alice.getJson("/api/v1/jobs/" + jobId);
    assertThat(job.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(job.get("progress").get("percent").asDouble()).isEqualTo(100.0);

    HttpResponse<byte[]> result = alice.getBytes("/api/v1/jobs/" + jobId + "/result");
    assertThat(result.statusCode()).isEqualTo(200);
    Path simplifiedFile = tmp.resolve("simplified.zip");
    Files.write(simplifiedFile, result.body());
    Path originalFile = tmp.resolve("original.zip");
    Files.write(originalFile, modelBytes);
    CnnModel simplified = ModelFiles.read(simplifiedFile);
    CnnModel original = ModelFiles.read(originalFile);
    assertThat(simplified.numParams()).isLessThan(original.numParams());

    JsonNode report = alice.getJson("/api/v1/jobs/" + jobId + "/report");
    assertThat(report.get("original").get("params").asLong()).isEqualTo(original.numParams());
    assertThat(report.get("simplified").get("params").asLong()).isEqualTo(simplified.numParams());
    assertThat(report.get("steps")).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(report.get("steps").get(i).get("paramsAfter"))
          .isEqualTo(steps.get(i).get("paramsAfter"));
      assertThat(report.get("steps").get(i).get("removedKernels"))
          .isEqualTo(steps.get(i).get("removedKernels"));
    }

    // The data set came without a test split: its held-out slice gives the headline, validation
    // the per-step figures, and the report says so with the image counts.
    JsonNode dataset = alice.getJson("/api/v1/datasets/" + datasetId);
    assertThat(dataset.get("testSplit").asText()).isEqualTo("held-out");
    int heldOut = 0;
    int validation = 0;
    for (JsonNode count : dataset.get("counts").get("test")) {
      heldOut += count.asInt();
    }
    for (JsonNode count : dataset.get("counts").get("validation")) {
      validation += count.asInt();
    }
    assertThat(heldOut).isPositive();
    JsonNode headline = report.get("headline");
    assertThat(headline.get("split").asText()).isEqualTo("held-out");
    assertThat(headline.get("independentOfSelection").asBoolean()).isTrue();
    assertThat(headline.get("simplified").get("images").asInt()).isEqualTo(heldOut);
    assertThat(headline.get("simplified").get("split").asText()).isEqualTo("held-out");
    assertThat(report.get("original").get("validation").get("split").asText())
        .isEqualTo("validation");
    assertThat(report.get("original").get("validation").get("images").asInt())
        .isEqualTo(validation);
    assertThat(report.get("steps").get(0).get("afterRetraining").get("split").asText())
        .isEqualTo("validation");
    assertThat(report.get("splits").get(report.get("splits").size() - 1).get("split").asText())
        .isEqualTo("held-out");

    // Another owner sees nothing of it.
    assertThat(bob.get("/api/v1/jobs/" + jobId).statusCode()).isEqualTo(404);
    assertThat(stranger.get("/api/v1/jobs/" + jobId).statusCode()).isEqualTo(401);

    // The job decoded the data set once, into a store of the model's input shape on this node;
    // deleting the data set deletes it.
    Path storeDir = stores.root().resolve(datasetId);
    try (var files = Files.list(storeDir)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList())
          .singleElement()
          .satisfies(name -> assertThat(name).matches("1x12x12-rgb-[0-9a-f]{16}\\.u8"));
    }
    assertThat(alice.send(alice.request("/api/v1/jobs/" + jobId).DELETE().build()).statusCode())
        .isEqualTo(204);
    assertThat(
            alice
                .send(alice.request("/api/v1/datasets/" + datasetId).DELETE().build())
                .statusCode())
        .isEqualTo(204);
    assertThat(storeDir).doesNotExist();
  }

  private static HttpResponse<String> createJob(ApiClient client, String body, String key)
      throws Exception {
    return client.send(
        client
            .request("/api/v1/jobs")
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", key)
            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
            .build());
  }
}
