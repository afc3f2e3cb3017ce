package org.cnnsimplifier.catalog;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.cnnsimplifier.catalog.upload.UploadReceiver;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.system.ApiException;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;

/**
 * Model files in the format asked for ({@code ?format=dl4j|keras|onnx}): uploaded models and job
 * results, converted by the engine into a temporary file that is deleted once it has been sent. A
 * format a model cannot be written in is refused with 422 naming the layer.
 */
@Service
public class ModelDownloads {
  private final UploadReceiver temp;

  ModelDownloads(UploadReceiver temp) {
    this.temp = temp;
  }

  /** Copies a stored file to the path it is given. */
  @FunctionalInterface
  public interface Copy {
    void to(Path file) throws IOException;
  }

  /**
   * The format a {@code format} request parameter names, or null when it is absent.
   *
   * @throws ApiException 400 for an unknown name
   */
  public static ModelFormat format(String parameter) {
    if (parameter == null || parameter.isBlank()) {
      return null;
    }
    try {
      return ModelFormat.fromParameter(parameter);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage(), Map.of("format", e.getMessage()));
    }
  }

  /**
   * A DL4J zip written by the engine (a job's result) in the requested format; without one, in the
   * format its model first came in.
   */
  public ResponseEntity<InputStreamResource> resultZip(
      Copy zip, ModelFormat requested, String baseName) {
    Path dir = newDirectory();
    try {
      Path file = dir.resolve(baseName + ModelFormat.DL4J_ZIP.extension());
      zip.to(file);
      ModelFormat format = requested != null ? requested : ModelFiles.sourceFormat(file);
      if (format == ModelFormat.DL4J_ZIP) {
        return send(file, dir, format, baseName);
      }
      CnnModel model = ModelFiles.read(file);
      try {
        return export(model, format, baseName, dir);
      } finally {
        model.dl4j().close();
      }
    } catch (IOException e) {
      temp.deleteTempDirectory(dir);
      throw new UncheckedIOException("cannot prepare the download: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      temp.deleteTempDirectory(dir);
      throw e;
    }
  }

  /** The model written in {@code format}. */
  ResponseEntity<InputStreamResource> exported(
      CnnModel model, ModelFormat format, String baseName) {
    Path dir = newDirectory();
    try {
      return export(model, format, baseName, dir);
    } catch (RuntimeException e) {
      temp.deleteTempDirectory(dir);
      throw e;
    }
  }

  private ResponseEntity<InputStreamResource> export(
      CnnModel model, ModelFormat format, String baseName, Path dir) {
    Path out = dir.resolve(baseName + "-export" + format.extension());
    ModelFiles.write(model, format, out);
    return send(out, dir, format, baseName);
  }

  private ResponseEntity<InputStreamResource> send(
      Path file, Path dir, ModelFormat format, String baseName) {
    try {
      long length = Files.size(file);
      InputStream content = new DeletingStream(Files.newInputStream(file), dir);
      return response(content, length, format, fileName(baseName, format), null);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot send " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  /** A model file response: the format's media type, an attachment named {@code fileName}. */
  static ResponseEntity<InputStreamResource> response(
      InputStream content, long length, ModelFormat format, String fileName, String etag) {
    ResponseEntity.BodyBuilder builder =
        ResponseEntity.ok()
            .contentType(MediaType.parseMediaType(format.mediaType()))
            .contentLength(length)
            .header(HttpHeaders.CONTENT_DISPOSITION, attachment(fileName));
    if (etag != null) {
      builder.eTag(etag);
    }
    return builder.body(new InputStreamResource(content));
  }

  /** The name with the format's extension, unless it has it already. */
  static String fileName(String name, ModelFormat format) {
    String lower = name.toLowerCase(Locale.ROOT);
    boolean hasOne =
        lower.endsWith(format.extension())
            || (format == ModelFormat.KERAS_H5 && lower.endsWith(".hdf5"));
    return hasOne ? name : name + format.extension();
  }

  /** A plain filename when it is ASCII; RFC 5987 {@code filename*} as well otherwise. */
  private static String attachment(String fileName) {
    ContentDisposition.Builder builder = ContentDisposition.attachment();
    boolean ascii = StandardCharsets.US_ASCII.newEncoder().canEncode(fileName);
    return (ascii ? builder.filename(fileName) : builder.filename(fileName, StandardCharsets.UTF_8))
        .build()
        .toString();
  }

  private Path newDirectory() {
    try {
      return temp.newTempDirectory();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a temporary directory: " + e.getMessage(), e);
    }
  }

  /** Deletes the temporary directory once the file in it has been sent. */
  private final class DeletingStream extends FilterInputStream {
    private final Path dir;

    DeletingStream(InputStream in, Path dir) {
      super(in);
      this.dir = dir;
    }

    @Override
    public void close() throws IOException {
      try {
        super.close();
      } finally {
        temp.deleteTempDirectory(dir);
      }
    }
  }
}
