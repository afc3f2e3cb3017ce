package org.cnnsimplifier.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service as a separate JVM, started the way a container starts it ({@code java … main class},
 * settings as command-line properties), its output in a log file, so a test can send it SIGTERM.
 */
final class ServiceProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private ServiceProcess(Process process, Path log, int port) {
    this.process = process;
    this.log = log;
    this.port = port;
  }

  /** Starts the service with its working directory {@code dir} and these properties. */
  static ServiceProcess start(Path dir, Map<String, String> properties) throws IOException {
    return start(dir, properties, Map.of());
  }

  /** Also with these environment variables, as a container's settings would be given. */
  static ServiceProcess start(
      Path dir, Map<String, String> properties, Map<String, String> environment)
      throws IOException {
    Files.createDirectories(dir);
    int port = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx1g",
            // Starts faster; the training runs in native code either way.
            "-XX:TieredStopAtLevel=1",
            "-Dorg.bytedeco.javacpp.maxbytes=2G",
            "-Dorg.bytedeco.javacpp.maxphysicalbytes=4G",
            "-cp",
            System.getProperty("java.class.path"),
            "org.cnnsimplifier.CnnSimplifierApplication",
            "--server.port=" + port));
    properties.forEach((key, value) -> command.add("--" + key + "=" + value));
    Path log = dir.resolve("service.log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    return new ServiceProcess(process, log, port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /** Waits until the readiness probe answers 200 (database included). */
  void awaitReady(Duration timeout) throws InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("the service exited with " + process.exitValue() + ":\n" + tail());
      }
      try {
        if (get("/actuator/health/readiness").statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // Not listening yet.
      }
      Thread.sleep(250);
    }
    throw new AssertionError("not ready after " + timeout + ":\n" + tail());
  }

  HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30));
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(request(path).GET().build());
  }

  /** Saves what a GET answers to a file. */
  HttpResponse<Path> download(String path, Path file) throws IOException, InterruptedException {
    return http.send(
        request(path).timeout(Duration.ofMinutes(5)).GET().build(),
        HttpResponse.BodyHandlers.ofFile(file));
  }

  HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Sends SIGTERM (on Linux {@link Process#destroy()} does) and waits for the exit. */
  boolean terminate(Duration timeout) throws InterruptedException {
    process.destroy();
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends SIGKILL ({@link Process#destroyForcibly()} on Linux): no hook, no finally runs. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  /** The id its workers claim jobs under ({@code host-xxxxxxxx}), once they started. */
  String workerId() {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("worker\\(s\\) started as (\\S+)").matcher(output());
    return m.find() ? m.group(1) : null;
  }

  /** The last lines of the service's output, for failure messages. */
  String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String output() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills the process if it still runs. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
