package org.cnnsimplifier.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import onnx.Onnx;
import org.cnnsimplifier.CnnSimplifierApplication;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.cnnsimplifier.engine.model.OnnxFixtures;
import org.cnnsimplifier.engine.model.OnnxRuntimeRun;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The PyTorch user's path through the API, end to end: export a full-width torchvision model with
 * random weights to ONNX (PyTorch, via src/test/resources/onnx/export_torchvision.py), start the
 * service (embedded default), upload the model and a small generated data set, simplify the given
 * layers with PROGRESSIVE retraining, download the result with {@code format=onnx} and run it in
 * ONNX Runtime. Prints every request with its answer's essentials.
 *
 * <p>Run (needs Debian's python3-torch and python3-torchvision):
 *
 * <pre>
 * ./mvnw -B -q -Pbenchmark verify -DskipTests -Dbench.main=org.cnnsimplifier.bench.OnnxWalkthrough \
 *   -Dbench.args="--model vgg11 --layers features.0,features.3"
 * ./mvnw -B -q -Pbenchmark verify -DskipTests -Dbench.main=org.cnnsimplifier.bench.OnnxWalkthrough \
 *   -Dbench.args="--model resnet18 --layers layer1.0.conv1"
 * </pre>
 *
 * Options: {@code --model resnet18|vgg11} (resnet18), {@code --size} (64), {@code --classes} (3),
 * {@code --layers} (comma-separated; default every prunable layer), {@code --ratio} (0.5), {@code
 * --images} per class (12), {@code --python} (/usr/bin/python3), {@code --dir}
 * (target/onnx-walkthrough).
 */
public final class OnnxWalkthrough {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    String model = options.getOrDefault("model", "resnet18");
    int size = Integer.parseInt(options.getOrDefault("size", "64"));
    int classes = Integer.parseInt(options.getOrDefault("classes", "3"));
    Path dir = Path.of(options.getOrDefault("dir", "target/onnx-walkthrough")).toAbsolutePath();
    Files.createDirectories(dir);
    Path onnx = dir.resolve(model + ".onnx");

    step("PyTorch: torch.onnx.export(torchvision.models." + model + "(...)) -> " + onnx);
    Process export =
        new ProcessBuilder(
                options.getOrDefault("python", "/usr/bin/python3"),
                "src/test/resources/onnx/export_torchvision.py",
                model,
                Integer.toString(size),
                Integer.toString(classes),
                onnx.toString())
            .redirectErrorStream(true)
            .start();
    String exportLog = new String(export.getInputStream().readAllBytes());
    if (export.waitFor() != 0) {
      throw new IllegalStateException("export failed (python3-torch installed?):\n" + exportLog);
    }
    exportLog
        .lines()
        .filter(l -> !l.contains("Warning") && !l.isBlank())
        .forEach(l -> say("  " + l));

    Path data = dir.resolve("data");
    try (ConfigurableApplicationContext service =
        new SpringApplicationBuilder(CnnSimplifierApplication.class)
            .run(
                "--server.port=0",
                "--cnn.data-dir=" + data,
                "--cnn.workers.work-dir=" + data.resolve("work"),
                "--cnn.workers.poll-interval=500ms",
                "--logging.level.root=WARN",
                "--spring.main.banner-mode=off")) {
      String base = "http://localhost:" + service.getEnvironment().getProperty("local.server.port");
      say("service at " + base + " (embedded H2, one in-process worker)");

      step("POST /api/v1/models?name=" + model + ".onnx  (Content-Type: application/octet-stream)");
      JsonNode uploaded =
          send(
              post(
                  base + "/api/v1/models?name=" + model + ".onnx",
                  "application/octet-stream",
                  Files.readAllBytes(onnx)),
              201);
      long paramsBefore = uploaded.get("architecture").get("totalParams").asLong();
      say(
          "  201 id="
              + uploaded.get("id").asString()
              + " format="
              + uploaded.get("format").asString()
              + " inputShape="
              + uploaded.get("inputShape")
              + " layers="
              + uploaded.get("architecture").get("layers").size());
      say(
          "  totalParams="
              + paramsBefore
              + " totalFlops="
              + uploaded.get("architecture").get("totalFlops").asLong());
      say("  prunableLayers=" + uploaded.get("architecture").get("prunableLayers"));
      say("  exportFormats=" + uploaded.get("exportFormats"));

      int perClass = Integer.parseInt(options.getOrDefault("images", "12"));
      step(
          "POST /api/v1/datasets?name=generated.zip  ("
              + classes
              + " classes x "
              + perClass
              + " RGB "
              + size
              + "x"
              + size
              + " PNGs)");
      JsonNode dataset =
          send(
              post(
                  base + "/api/v1/datasets?name=generated.zip",
                  "application/zip",
                  generatedDataset(classes, perClass, size)),
              201);
      say("  201 id=" + dataset.get("id").asString() + " counts=" + dataset.get("counts"));

      String layers = options.get("layers");
      String layerList =
          layers == null ? "[]" : JSON.writeValueAsString(Arrays.asList(layers.split(",")));
      String spec =
          """
          {"modelId":"%s","datasetId":"%s","layers":%s,"criterion":"L1","strategy":"PROGRESSIVE",
           "policy":{"type":"ratio","ratio":%s},
           "retraining":{"epochs":1,"batchSize":8,"learningRate":0.001},"seed":42}"""
              .formatted(
                  uploaded.get("id").asString(),
                  dataset.get("id").asString(),
                  layerList,
                  options.getOrDefault("ratio", "0.5"));
      step("POST /api/v1/jobs " + spec.replaceAll("\\s+", " "));
      JsonNode job =
          send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(spec))
                  .build(),
              202);
      String jobId = job.get("id").asString();
      say("  202 id=" + jobId + " state=" + job.get("state").asString());

      step("GET /api/v1/jobs/" + jobId + "  (polled until it ends)");
      Instant started = Instant.now();
      do {
        Thread.sleep(2000);
        job =
            send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs/" + jobId)).GET().build(),
                200);
      } while (job.get("state").asString().matches("QUEUED|RUNNING"));
      say(
          "  state="
              + job.get("state").asString()
              + " after "
              + Duration.between(started, Instant.now()).toSeconds()
              + " s");
      if (!job.get("state").asString().equals("SUCCEEDED")) {
        throw new IllegalStateException("job did not succeed: " + job);
      }

      step("GET /api/v1/jobs/" + jobId + "/report");
      JsonNode report =
          send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs/" + jobId + "/report"))
                  .GET()
                  .build(),
              200);
      for (JsonNode s : report.get("steps")) {
        say(
            String.format(
                Locale.ROOT,
                "  %s: kernels %d -> %d, params %d -> %d",
                s.get("layer").asString(),
                s.get("kernelsBefore").asInt(),
                s.get("kernelsAfter").asInt(),
                s.get("paramsBefore").asLong(),
                s.get("paramsAfter").asLong()));
      }
      long paramsAfter = report.get("simplified").get("params").asLong();
      say(
          "  original params="
              + report.get("original").get("params").asLong()
              + " simplified params="
              + paramsAfter);
      say("  exportFormats=" + report.get("exportFormats"));

      step("GET /api/v1/jobs/" + jobId + "/result?format=onnx");
      Path simplified = dir.resolve(model + "-simplified.onnx");
      download(base + "/api/v1/jobs/" + jobId + "/result?format=onnx", simplified);

      step("ONNX Runtime: InferenceSession(" + simplified.getFileName() + ").run(...)");
      INDArray images = OnnxFixtures.images(2, 3, size, size);
      INDArray runtime = runtime(simplified, images, paramsBefore);
      // The same model as a DL4J zip, to compare with what ONNX Runtime computed.
      Path zip = dir.resolve(model + "-simplified.zip");
      download(base + "/api/v1/jobs/" + jobId + "/result?format=dl4j", zip);
      CnnModel network = ModelFiles.read(zip);
      INDArray expected =
          network.logitsOutput() ? OnnxFixtures.logits(network, images) : network.output(images);
      network.dl4j().close();
      say(
          String.format(
              Locale.ROOT,
              "  max |ONNX Runtime - DL4J (format=dl4j)| = %.3g",
              OnnxFixtures.maxDifference(runtime, expected)));
      say(
          paramsAfter < paramsBefore
              ? "fewer parameters than the upload: " + paramsBefore + " -> " + paramsAfter
              : "NOT smaller");
    }
  }

  private static void download(String uri, Path file) throws Exception {
    HttpResponse<Path> result =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(uri)).GET().build(),
            HttpResponse.BodyHandlers.ofFile(file));
    if (result.statusCode() != 200) {
      throw new IllegalStateException(
          "download failed: " + result.statusCode() + " " + Files.readString(file));
    }
    say(
        "  200 "
            + result.headers().firstValue("Content-Disposition").orElse("")
            + ", "
            + Files.size(file)
            + " bytes -> "
            + file);
  }

  /** Runs the ONNX file in ONNX Runtime and prints what it holds and computes. */
  private static INDArray runtime(Path file, INDArray images, long paramsBefore) throws Exception {
    byte[] bytes = Files.readAllBytes(file);
    Onnx.ModelProto proto = Onnx.ModelProto.parseFrom(bytes);
    long weights =
        proto.getGraph().getInitializerList().stream()
            .filter(t -> t.getDataType() == Onnx.TensorProto.DataType.FLOAT.getNumber())
            .mapToLong(t -> t.getDimsList().stream().reduce(1L, (a, b) -> a * b))
            .sum();
    say(
        "  opset "
            + proto.getOpsetImport(0).getVersion()
            + ", "
            + proto.getGraph().getNodeCount()
            + " nodes, "
            + weights
            + " weights in initializers (uploaded model: "
            + paramsBefore
            + " parameters)");
    INDArray out = OnnxRuntimeRun.run(bytes, images);
    say(
        "  input [input] "
            + Arrays.toString(images.shape())
            + " -> output "
            + Arrays.toString(out.shape()));
    for (int i = 0; i < out.rows(); i++) {
      say("  " + out.getRow(i));
    }
    return out;
  }

  /** Class k's images are noise with a bright square at its own place. */
  private static byte[] generatedDataset(int classes, int perClass, int size) throws Exception {
    Random random = new Random(7);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int c = 0; c < classes; c++) {
        for (int i = 0; i < perClass; i++) {
          BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
          int square = size / 4;
          int at = (c * square) % (size - square);
          for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
              boolean lit = x >= at && x < at + square && y >= at && y < at + square;
              int v = lit ? 200 + random.nextInt(56) : random.nextInt(80);
              image.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
          }
          zip.putNextEntry(new ZipEntry("class" + c + "/" + i + ".png"));
          ImageIO.write(image, "png", zip);
          zip.closeEntry();
        }
      }
    }
    return bytes.toByteArray();
  }

  private static HttpRequest post(String uri, String type, byte[] body) {
    return HttpRequest.newBuilder(URI.create(uri))
        .header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  private static JsonNode send(HttpRequest request, int expected) throws Exception {
    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(
          request.uri() + " answered " + response.statusCode() + ": " + response.body());
    }
    return JSON.readTree(response.body());
  }

  private static void step(String text) {
    say("");
    say("$ " + text);
  }

  private static void say(String text) {
    System.out.println(text);
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    List<String> list = Arrays.asList(args);
    for (int i = 0; i + 1 < list.size(); i += 2) {
      options.put(list.get(i).replaceFirst("^--", ""), list.get(i + 1));
    }
    return options;
  }
}
