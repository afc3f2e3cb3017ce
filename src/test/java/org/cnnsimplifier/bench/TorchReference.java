package org.cnnsimplifier.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the PyTorch reference ({@code src/test/python/torch_reference.py}) and reads its JSON. */
final class TorchReference {
  record Result(int batch, double trainPerSecond, double inferPerSecond, double accuracy) {}

  private TorchReference() {}

  /** The faster figures of two runs ({@code a} may be null); accuracy from the first. */
  static Result best(Result a, Result b) {
    if (a == null) {
      return b;
    }
    return new Result(
        a.batch(),
        Math.max(a.trainPerSecond(), b.trainPerSecond()),
        Math.max(a.inferPerSecond(), b.inferPerSecond()),
        a.accuracy());
  }

  static Result run(String python, Path script, Path data, int train, int batch, int threads)
      throws IOException, InterruptedException {
    if (!Files.isRegularFile(script)) {
      throw new IOException(
          script + " not found: run from the project root or pass --torch-script PATH");
    }
    Path json = Files.createTempFile("torch-reference", ".json");
    try {
      Process process =
          new ProcessBuilder(
                  python,
                  script.toString(),
                  "--train",
                  Integer.toString(train),
                  "--batch",
                  Integer.toString(batch),
                  "--threads",
                  Integer.toString(threads),
                  "--data",
                  data.toString(),
                  "--json",
                  json.toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor() != 0) {
        throw new IOException(
            "PyTorch reference failed (apt-get install -y python3-torch?):\n" + output);
      }
      String text = Files.readString(json);
      return new Result(
          batch,
          number(text, "train_images_per_s"),
          number(text, "infer_images_per_s"),
          number(text, "accuracy_after_one_pass"));
    } finally {
      Files.deleteIfExists(json);
    }
  }

  private static double number(String json, String key) throws IOException {
    Matcher m = Pattern.compile("\"" + key + "\":\\s*([0-9.eE+-]+)").matcher(json);
    if (!m.find()) {
      throw new IOException("no " + key + " in PyTorch reference output: " + json);
    }
    return Double.parseDouble(m.group(1));
  }
}
