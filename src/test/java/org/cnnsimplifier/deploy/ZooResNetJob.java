package org.cnnsimplifier.deploy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.cnnsimplifier.engine.surgery.ZooModels;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A PROGRESSIVE job on Deeplearning4j's zoo ResNet50 through the API, as a command: the model
 * (3×128×128, He-initialised, 3 classes) and a generated data set of 128×128 PNG class folders are
 * uploaded to the embedded default; the job prunes the residual group of stage 2 (named by one of
 * its members) and one plain convolution, with a few batches of retraining per layer; the
 * simplified model is downloaded and read back.
 *
 * <pre>
 * ./mvnw -B -q -Pbenchmark verify -DskipTests -Dbench.main=org.cnnsimplifier.deploy.ZooResNetJob
 * </pre>
 */
public final class ZooResNetJob {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int SIZE = 128;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("zoo-resnet");
    CnnModel resnet = ZooModels.resNet50(SIZE, 3);
    Path model = dir.resolve("resnet50.zip");
    ModelFiles.write(resnet, model);
    Path images = dir.resolve("images.zip");
    writeImages(images, 3, 12);
    System.out.printf(
        "ResNet50 %dx%d: %,d params, %s; images %s%n",
        SIZE, SIZE, resnet.numParams(), size(model), size(images));

    ServiceProcess service =
        ServiceProcess.start(
            dir.resolve("service"), Map.of("cnn.data-dir", dir.resolve("data").toString()));
    try {
      service.awaitReady(Duration.ofMinutes(3));
      JsonNode uploaded =
          post(service, "/api/v1/models?name=resnet50.zip", model, "application/zip");
      JsonNode stage2 = null;
      for (JsonNode group : uploaded.path("architecture").path("groups")) {
        if (group.path("members").toString().contains("res2b_branch2c")) {
          stage2 = group;
        }
      }
      System.out.printf(
          "uploaded model %s: %d groups (%d prunable); residual group %s, %d channels, members %s%n",
          uploaded.path("id").asString(),
          uploaded.path("architecture").path("groups").size(),
          count(uploaded.path("architecture").path("groups")),
          stage2.path("name").asString(),
          stage2.path("channels").asInt(),
          stage2.path("members"));
      JsonNode dataset =
          post(service, "/api/v1/datasets?name=images.zip", images, "application/zip");
      String job =
          """
          {"modelId":"%s","datasetId":"%s","layers":["res2b_branch2c","res3a_branch2a"],
           "criterion":"L1","strategy":"PROGRESSIVE","policy":{"type":"ratio","ratio":0.5},
           "retraining":{"epochs":1,"batchSize":4,"learningRate":0.0005,"maxBatchesPerEpoch":3},
           "seed":42}
          """
              .formatted(uploaded.path("id").asString(), dataset.path("id").asString());
      HttpResponse<String> created =
          service.send(
              service
                  .request("/api/v1/jobs")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(job))
                  .build());
      String id = JSON.readTree(created.body()).path("id").asString();
      System.out.printf("job %s: %d%n", id, created.statusCode());
      long start = System.nanoTime();
      JsonNode state;
      do {
        Thread.sleep(2000);
        state = JSON.readTree(service.get("/api/v1/jobs/" + id).body());
      } while (!Set.of("SUCCEEDED", "FAILED", "CANCELLED")
          .contains(state.path("state").asString()));
      System.out.printf(
          "job %s after %.0f s%s%n",
          state.path("state").asString(),
          (System.nanoTime() - start) / 1e9,
          state.path("lastError").isNull() || state.path("lastError").isMissingNode()
              ? ""
              : " " + state.path("lastError"));
      JsonNode report = JSON.readTree(service.get("/api/v1/jobs/" + id + "/report").body());
      for (JsonNode step : report.path("steps")) {
        System.out.printf(
            "  step %s: kernels %d -> %d, params %,d -> %,d%n",
            step.path("layer").asString(),
            step.path("kernelsBefore").asInt(),
            step.path("kernelsAfter").asInt(),
            step.path("paramsBefore").asLong(),
            step.path("paramsAfter").asLong());
      }
      HttpResponse<Path> result =
          service.download("/api/v1/jobs/" + id + "/result", dir.resolve("simplified.zip"));
      CnnModel simplified = ModelFiles.read(result.body());
      System.out.printf(
          "downloaded %s (%d): reloads with DL4J as a %s of %,d params (upload: %,d)%n",
          size(result.body()),
          result.statusCode(),
          simplified.isGraph() ? "ComputationGraph" : "MultiLayerNetwork",
          simplified.numParams(),
          resnet.numParams());
    } finally {
      service.close();
    }
  }

  private static JsonNode post(ServiceProcess service, String path, Path file, String type)
      throws Exception {
    HttpResponse<String> response =
        service.send(
            service
                .request(path)
                .header("Content-Type", type)
                .timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofFile(file))
                .build());
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          path + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  private static long count(JsonNode groups) {
    long n = 0;
    for (JsonNode group : groups) {
      n += group.path("prunable").asBoolean() ? 1 : 0;
    }
    return n;
  }

  /** Class folders of PNGs: each class lights a square of its own over noise. */
  private static void writeImages(Path zip, int classes, int perClass) throws Exception {
    Random random = new Random(7);
    try (OutputStream file = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (int c = 0; c < classes; c++) {
        for (int i = 0; i < perClass; i++) {
          BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_INT_RGB);
          for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
              boolean lit = x / 32 == c && y / 32 == c;
              int v = lit ? 180 + random.nextInt(75) : random.nextInt(80);
              image.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
          }
          ByteArrayOutputStream png = new ByteArrayOutputStream();
          ImageIO.write(image, "png", png);
          out.putNextEntry(new ZipEntry("class" + c + "/" + i + ".png"));
          out.write(png.toByteArray());
          out.closeEntry();
        }
      }
    }
  }

  private static String size(Path file) throws Exception {
    return String.format("%.1f MB", Files.size(file) / 1e6);
  }
}
