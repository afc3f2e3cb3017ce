package org.cnnsimplifier.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.cnnsimplifier.support.ApiClient;
import org.cnnsimplifier.support.LearnableFixtures;
import org.cnnsimplifier.support.ServiceTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * The subjective criterion end to end: a job stops at each layer for a person's choice, frees its
 * worker meanwhile (another job runs to the end), and goes on with the kernels chosen.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "cnn.security.api-keys=alice:alice-key,bob:bob-key",
      "cnn.workers.concurrency=1",
      "cnn.workers.poll-interval=200ms",
      "cnn.workers.heartbeat=1s"
    })
abstract class ReviewFlowTest extends ServiceTest {

  private static boolean inState(JsonNode job, String state) {
    return job.get("state").asText().equals(state);
  }

  @Test
  void waitsForAChoiceInEachLayerWithTheWorkerFreeMeanwhile(@TempDir Path tmp) throws Exception {
    deleteJobs();
    ApiClient alice = new ApiClient(port, "alice-key");
    String model = alice.upload("/api/v1/models?name=tiny.zip", LearnableFixtures.modelZip(tmp));
    String data =
        alice.upload("/api/v1/datasets?name=shapes.zip", LearnableFixtures.datasetZip(20, 2));
    String subjective =
        """
        {"modelId":"%s","datasetId":"%s","criterion":"SUBJECTIVE",
         "policy":{"type":"ratio","ratio":0.5},"reviewSamplesPerClass":2,
         "retraining":{"epochs":1,"batchSize":10,"learningRate":0.01}}"""
            .formatted(model, data);
    HttpResponse<String> created = alice.postJson("/api/v1/jobs", subjective);
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    String jobId = ApiClient.JSON.readTree(created.body()).get("id").asText();
    alice.awaitJob(jobId, j -> inState(j, "AWAITING_SELECTION"), Duration.ofSeconds(60));

    // The only worker is free: an objective job runs to the end while the first one waits.
    String objective =
        subjective.replace("\"SUBJECTIVE\"", "\"L1\"").replace("\"reviewSamplesPerClass\":2,", "");
    String otherId =
        ApiClient.JSON
            .readTree(alice.postJson("/api/v1/jobs", objective).body())
            .get("id")
            .asText();
    alice.awaitJob(otherId, j -> inState(j, "SUCCEEDED"), Duration.ofSeconds(90));
    assertThat(inState(alice.getJson("/api/v1/jobs/" + jobId), "AWAITING_SELECTION")).isTrue();

    JsonNode review = alice.getJson("/api/v1/jobs/" + jobId + "/review");
    assertThat(review.get("layer").asText()).isEqualTo("conv1");
    assertThat(review.get("kernels")).hasSize(6);
    assertThat(review.get("samples")).hasSize(2 * LearnableFixtures.CLASSES);
    assertThat(review.get("colorMap").asText()).isEqualTo("viridis");
    assertThat(review.get("suggestion").get("kernels")).hasSize(3);
    assertThat(review.get("kernels").get(0).get("scores").has("APOZ")).isTrue();
    assertThat(review.get("perKernel").get("params").asLong()).isPositive();
    HttpResponse<byte[]> sheet =
        alice.getBytes(review.get("kernels").get(2).get("sheetUrl").asText());
    assertThat(sheet.statusCode()).isEqualTo(200);
    assertThat(sheet.headers().firstValue("Content-Type")).hasValue("image/png");
    assertThat(alice.getBytes(review.get("inputsUrl").asText()).statusCode()).isEqualTo(200);

    String choose = "/api/v1/jobs/" + jobId + "/review";
    for (String invalid : List.of("[99]", "[1,1]", "[0,1,2,3,4,5]", "null")) {
      HttpResponse<String> refused = alice.postJson(choose, "{\"kernels\":" + invalid + "}");
      assertThat(refused.statusCode()).as(invalid).isEqualTo(400);
      assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }
    assertThat(new ApiClient(port, "bob-key").postJson(choose, "{\"kernels\":[1]}").statusCode())
        .isEqualTo(404);

    assertThat(alice.postJson(choose, "{\"kernels\":[1,4]}").statusCode()).isEqualTo(202);
    alice.awaitJob(
        jobId,
        j -> inState(j, "AWAITING_SELECTION") && j.get("progress").get("layersDone").asInt() == 1,
        Duration.ofSeconds(60));
    JsonNode second = alice.getJson("/api/v1/jobs/" + jobId + "/review");
    assertThat(second.get("layer").asText()).isEqualTo("conv2");
    assertThat(alice.postJson(choose, "{\"kernels\":[0]}").statusCode()).isEqualTo(202);
    alice.awaitJob(jobId, j -> inState(j, "SUCCEEDED"), Duration.ofSeconds(60));

    JsonNode report = alice.getJson("/api/v1/jobs/" + jobId + "/report");
    JsonNode steps = report.get("steps");
    assertThat(steps).hasSize(2);
    assertThat(steps.get(0).get("removedKernels").toString()).isEqualTo("[1,4]");
    assertThat(steps.get(1).get("removedKernels").toString()).isEqualTo("[0]");
    assertThat(steps.get(0).get("decidedBy").asText()).isEqualTo("person (alice)");
    List<String> names = alice.events(jobId, null).stream().map(ApiClient.Event::name).toList();
    assertThat(names)
        .containsSubsequence(
            "queued",
            "started",
            "awaiting_selection",
            "resumed",
            "started",
            "step",
            "awaiting_selection",
            "resumed",
            "started",
            "step",
            "succeeded");
  }
}
