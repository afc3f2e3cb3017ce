package org.cnnsimplifier.catalog.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.Consumer;
import org.cnnsimplifier.engine.TempFiles;
import org.cnnsimplifier.system.ScratchSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary directory of one upload request. Files are received into it while being hashed and
 * counted against the request's byte budget; closing it deletes everything in it, so a request
 * leaves no temporary file behind whatever happens.
 */
public final class UploadWorkspace implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UploadWorkspace.class);
  private static final int BUFFER = 64 * 1024;

  private final ScratchSpace.Claim claim;
  private final Path dir;
  private final long limitBytes;
  private long remainingBytes;
  private int files;

  UploadWorkspace(ScratchSpace.Claim claim, long limitBytes) {
    this.claim = claim;
    this.dir = claim.dir();
    this.limitBytes = limitBytes;
    this.remainingBytes = limitBytes;
  }

  /** The directory; the engine may make its own temporary folders here. */
  public Path dir() {
    return dir;
  }

  /**
   * Streams {@code body} to a file in the workspace, computing its SHA-256 and size. Reading stops
   * as soon as the request's bytes pass the limit.
   *
   * @param fileName the client's name for the file, sanitised before use; may be null
   * @throws org.cnnsimplifier.system.ApiException 413 when the limit is passed
   */
  public ReceivedFile receive(InputStream body, String fileName) throws IOException {
    return receive(body, fileName, type -> {});
  }

  /**
   * Like {@link #receive(InputStream, String)}, and calls {@code typeCheck} as soon as the first
   * bytes tell the file's type, so that a body of the wrong type is refused without reading it all.
   * The check refuses by throwing; it is not called for an empty body.
   */
  public ReceivedFile receive(InputStream body, String fileName, Consumer<FileType> typeCheck)
      throws IOException {
    String name = safeFileName(fileName);
    Path target = newFile(name);
    MessageDigest sha256 = sha256();
    byte[] buffer = new byte[BUFFER];
    byte[] head = new byte[FileType.HEAD_BYTES];
    int headLength = 0;
    long size = 0;
    try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
      int n;
      while ((n = body.read(buffer)) != -1) {
        size += n;
        if (size > remainingBytes) {
          throw UploadProblems.tooLarge(limitBytes);
        }
        if (headLength < head.length) {
          int take = Math.min(n, head.length - headLength);
          System.arraycopy(buffer, 0, head, headLength, take);
          headLength += take;
          if (headLength == head.length) {
            typeCheck.accept(FileType.sniff(head, headLength));
          }
        }
        sha256.update(buffer, 0, n);
        out.write(buffer, 0, n);
      }
    }
    if (headLength > 0 && headLength < head.length) {
      typeCheck.accept(FileType.sniff(head, headLength));
    }
    remainingBytes -= size;
    return new ReceivedFile(
        target,
        size,
        HexFormat.of().formatHex(sha256.digest()),
        FileType.sniff(head, headLength),
        name);
  }

  /** Throws 413 now when a declared length already passes what is left of the limit. */
  public void checkDeclaredLength(long declaredLength) {
    if (declaredLength > remainingBytes) {
      throw UploadProblems.tooLarge(limitBytes);
    }
  }

  /** A path for a new file named {@code name} (sanitised), in a folder of its own. */
  public Path newFile(String name) throws IOException {
    return Files.createDirectory(dir.resolve(Integer.toString(files++)))
        .resolve(safeFileName(name));
  }

  /** Deletes the workspace and everything in it; failures are logged, not thrown. */
  @Override
  public void close() {
    try {
      TempFiles.deleteRecursively(dir);
    } catch (IOException | UncheckedIOException e) {
      log.warn("could not delete upload workspace {}: {}", dir, e.toString());
    } finally {
      claim.close();
    }
  }

  /**
   * A name safe to use as a file name: the last path segment, characters other than letters,
   * digits, '.', '_' and '-' replaced, no leading dot, at most 100 characters.
   */
  public static String safeFileName(String name) {
    if (name == null) {
      return "upload";
    }
    String last = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    String safe = last.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^\\.+", "");
    if (safe.length() > 100) {
      safe = safe.substring(safe.length() - 100);
    }
    return safe.isEmpty() ? "upload" : safe;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
