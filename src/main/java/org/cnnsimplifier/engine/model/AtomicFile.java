package org.cnnsimplifier.engine.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.cnnsimplifier.engine.TempFiles;

/**
 * Writes a file whole or not at all: into a temporary file beside the target, then moved into
 * place. A failure leaves nothing behind.
 */
final class AtomicFile {
  /** Writes the content of the file it is given. */
  @FunctionalInterface
  interface Content {
    void writeTo(Path file) throws IOException;
  }

  private AtomicFile() {}

  /**
   * @throws UncheckedIOException if the file cannot be written
   */
  static void write(Path file, Content content) {
    Path target = file.toAbsolutePath();
    Path temp = null;
    try {
      temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".partial");
      content.writeTo(temp);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write model to " + target + ": " + e.getMessage(), e);
    } finally {
      TempFiles.deleteQuietly(temp);
    }
  }
}
