package org.cnnsimplifier.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A data-set zip bomb against a running service, as a command: a zip of about 4 MB whose one entry
 * inflates to 4 GiB, uploaded as the raw body to the embedded default (H2, file blobs). Prints the
 * answer, the time it took, and the bytes the service process wrote ({@code /proc/<pid>/io}: {@code
 * wchar}, all writes; {@code write_bytes}, those that reached the storage layer) and the largest
 * size its data directory reached meanwhile.
 *
 * <pre>
 * ./mvnw -B -q -Pbenchmark verify -DskipTests -Dbench.main=org.cnnsimplifier.deploy.ZipBombBenchmark
 * </pre>
 */
public final class ZipBombBenchmark {

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("zip-bomb");
    Path bomb = dir.resolve("bomb.zip");
    try (OutputStream file = Files.newOutputStream(bomb);
        ZipOutputStream zip = new ZipOutputStream(file)) {
      zip.putNextEntry(new ZipEntry("images/cat/0.png"));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 4096; i++) {
        zip.write(zeros);
      }
      zip.closeEntry();
    }
    Path data = dir.resolve("service").resolve("data");
    ServiceProcess service =
        ServiceProcess.start(
            dir.resolve("service"),
            Map.of("cnn.data-dir", data.toString(), "cnn.workers.enabled", "false"));
    try {
      service.awaitReady(Duration.ofSeconds(180));
      Map<String, Long> before = io(service.pid());
      AtomicLong peak = new AtomicLong();
      Thread sampler =
          new Thread(
              () -> {
                while (!Thread.currentThread().isInterrupted()) {
                  peak.accumulateAndGet(size(data), Math::max);
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
      long baseline = size(data);
      sampler.start();
      long start = System.nanoTime();
      HttpResponse<String> response =
          service.send(
              service
                  .request("/api/v1/datasets?name=bomb.zip")
                  .header("Content-Type", "application/zip")
                  .timeout(Duration.ofMinutes(5))
                  .POST(HttpRequest.BodyPublishers.ofFile(bomb))
                  .build());
      long millis = (System.nanoTime() - start) / 1_000_000;
      sampler.interrupt();
      sampler.join();
      Map<String, Long> after = io(service.pid());
      System.out.printf(
          "upload %d bytes, one entry of %d bytes uncompressed%n", Files.size(bomb), 4L << 30);
      System.out.printf("answer %d in %d ms: %s%n", response.statusCode(), millis, response.body());
      System.out.printf(
          "service process wrote: wchar %d bytes, write_bytes %d bytes; data directory grew by"
              + " at most %d bytes; now %d bytes above its size before%n",
          after.get("wchar") - before.get("wchar"),
          after.get("write_bytes") - before.get("write_bytes"),
          peak.get() - baseline,
          size(data) - baseline);
    } finally {
      service.close();
    }
  }

  private static Map<String, Long> io(long pid) throws IOException {
    Map<String, Long> values = new HashMap<>();
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
      String[] parts = line.split(":\\s*");
      values.put(parts[0], Long.parseLong(parts[1].trim()));
    }
    return values;
  }

  private static long size(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException gone) {
                  return 0;
                }
              })
          .sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  private ZipBombBenchmark() {}
}
