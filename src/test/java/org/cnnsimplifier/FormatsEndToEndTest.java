package org.cnnsimplifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.Hdf5Layout;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.cnnsimplifier.engine.model.OnnxFixtures;
import org.cnnsimplifier.engine.model.OnnxRuntimeRun;
import org.cnnsimplifier.support.ApiClient;
import org.cnnsimplifier.support.LearnableFixtures;
import org.cnnsimplifier.support.PostgresServiceTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/**
 * Models come back the way users have them, through the whole service on PostgreSQL: a PyTorch
 * (ONNX) upload's result is ONNX that ONNX Runtime runs, a Keras upload's result is a Keras HDF5
 * file, and the report says which formats the simplified model can be written in.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "cnn.security.api-keys=alice:alice-key",
      "cnn.workers.poll-interval=200ms",
      "cnn.workers.heartbeat=1s",
      "cnn.workers.lease=20s"
    })
class FormatsEndToEndTest extends PostgresServiceTest {

  @Test
  void anOnnxUploadComesBackAsOnnxThatOnnxRuntimeRuns(@TempDir Path tmp) throws Exception {
    deleteJobs();
    ApiClient alice = new ApiClient(port, "alice-key");
    byte[] upload = Files.readAllBytes(OnnxFixtures.file("hardswish_opset13.onnx"));
    JsonNode model =
        uploadModel(alice, "/api/v1/models?name=hardswish.onnx&mean=0.5&std=0.25", upload);
    assertThat(model.get("format").asString()).isEqualTo("ONNX");
    assertThat(model.get("preprocessing").get("std").get(0).asDouble()).isEqualTo(0.25);

    String jobId = simplify(alice, model.get("id").asString(), "onnx-1");

    HttpResponse<byte[]> result = alice.getBytes("/api/v1/jobs/" + jobId + "/result");
    assertThat(result.statusCode()).isEqualTo(200);
    assertThat(result.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"simplified-" + jobId + ".onnx\"");
    Path file = Files.write(tmp.resolve("simplified.onnx"), result.body());
    CnnModel simplified = ModelFiles.read(file);
    assertThat(simplified.preprocessing().std()).containsExactly(0.25);
    assertThat(simplified.numParams())
        .isLessThan(ModelFiles.read(OnnxFixtures.file("hardswish_opset13.onnx")).numParams());
    var images = OnnxFixtures.images(4, 3, 8, 8);
    assertThat(
            OnnxFixtures.maxDifference(
                OnnxRuntimeRun.run(result.body(), images), OnnxFixtures.logits(simplified, images)))
        .isLessThan(1e-4);
    HttpResponse<byte[]> asDl4j = alice.getBytes("/api/v1/jobs/" + jobId + "/result?format=dl4j");
    assertThat(asDl4j.headers().firstValue("Content-Type")).hasValue("application/zip");

    JsonNode report = alice.getJson("/api/v1/jobs/" + jobId + "/report");
    assertThat(report.get("exportFormats").toString()).isEqualTo("[\"DL4J_ZIP\",\"ONNX\"]");
    assertThat(report.get("exportUnavailable").get("KERAS_H5").asString()).contains("hardswish");
    JsonNode speed = report.get("speed");
    assertThat(speed.get("original").get("latencyMillis").asDouble()).isPositive();
    assertThat(speed.get("simplified").get("imagesPerSecond").asDouble()).isPositive();
    assertThat(speed.get("throughputBatch").asInt()).isEqualTo(64);
    assertThat(speed.get("flopReduction").asDouble())
        .isEqualTo(
            report.get("original").get("flops").asDouble()
                / report.get("simplified").get("flops").asDouble());
    HttpResponse<byte[]> keras = alice.getBytes("/api/v1/jobs/" + jobId + "/result?format=keras");
    assertThat(keras.statusCode()).isEqualTo(422);
  }

  @Test
  void aKerasUploadComesBackAsAKerasFile(@TempDir Path tmp) throws Exception {
    deleteJobs();
    ApiClient alice = new ApiClient(port, "alice-key");
    Path keras = Path.of(FormatsEndToEndTest.class.getResource("/keras/sequential_cnn.h5").toURI());
    JsonNode model =
        uploadModel(alice, "/api/v1/models?name=sequential_cnn.h5", Files.readAllBytes(keras));

    String jobId = simplify(alice, model.get("id").asString(), "keras-1");

    HttpResponse<byte[]> result = alice.getBytes("/api/v1/jobs/" + jobId + "/result");
    assertThat(result.statusCode()).isEqualTo(200);
    assertThat(result.headers().firstValue("Content-Type")).hasValue("application/x-hdf5");
    Path file = Files.write(tmp.resolve("simplified.h5"), result.body());
    assertThat(Hdf5Layout.of(file))
        .containsEntry("/@backend", "vlen string")
        .containsEntry("/@model_config", "vlen string")
        .containsKey("/model_weights/conv1/conv1/kernel:0");
    CnnModel simplified = ModelFiles.read(file);
    assertThat(simplified.numParams()).isLessThan(ModelFiles.read(keras).numParams());
    JsonNode report = alice.getJson("/api/v1/jobs/" + jobId + "/report");
    assertThat(report.get("exportFormats").toString())
        .isEqualTo("[\"DL4J_ZIP\",\"KERAS_H5\",\"ONNX\"]");
  }

  private String simplify(ApiClient client, String modelId, String key) throws Exception {
    String datasetId =
        client.upload("/api/v1/datasets?name=shapes.zip", LearnableFixtures.datasetZip(10, 1));
    String spec =
        """
        {"modelId":"%s","datasetId":"%s","criterion":"L1","strategy":"PROGRESSIVE",
         "policy":{"type":"ratio","ratio":0.5},"adapt":true,
         "retraining":{"epochs":1,"batchSize":10,"learningRate":0.01},"seed":7}"""
            .formatted(modelId, datasetId);
    HttpResponse<String> created =
        client.send(
            client
                .request("/api/v1/jobs")
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(spec))
                .build());
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    String jobId = ApiClient.JSON.readTree(created.body()).get("id").asString();
    JsonNode job =
        client.awaitJob(
            jobId,
            j -> !j.get("state").asString().matches("QUEUED|RUNNING"),
            Duration.ofMinutes(3));
    assertThat(job.get("state").asString()).as(job.toString()).isEqualTo("SUCCEEDED");
    return jobId;
  }

  private static JsonNode uploadModel(ApiClient client, String path, byte[] bytes)
      throws Exception {
    HttpResponse<String> response =
        client.send(
            client
                .request(path)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return ApiClient.JSON.readTree(response.body());
  }
}
