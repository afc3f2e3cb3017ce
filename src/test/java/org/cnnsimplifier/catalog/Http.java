package org.cnnsimplifier.catalog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A small HTTP client for the integration tests: real requests to the running service. */
final class Http {
  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;

  Http(int port) {
    this.base = "http://localhost:" + port;
  }

  HttpResponse<byte[]> get(String path, String key) {
    return send(HttpRequest.newBuilder(uri(path)).header("X-API-Key", key).GET());
  }

  HttpResponse<byte[]> delete(String path, String key) {
    return send(HttpRequest.newBuilder(uri(path)).header("X-API-Key", key).DELETE());
  }

  HttpResponse<byte[]> postRaw(String path, String key, String contentType, byte[] body) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("X-API-Key", key)
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** A multipart/form-data POST with one part 'file'. */
  HttpResponse<byte[]> postFile(
      String path, String key, String fileName, String contentType, byte[] content) {
    String boundary = "----catalog" + UUID.randomUUID();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    write(
        body,
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
            + fileName
            + "\"\r\nContent-Type: "
            + contentType
            + "\r\n\r\n");
    body.writeBytes(content);
    write(body, "\r\n--" + boundary + "--\r\n");
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("X-API-Key", key)
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  URI uri(String path) {
    return URI.create(path.startsWith("http") ? path : base + path);
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request) {
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void write(ByteArrayOutputStream out, String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
