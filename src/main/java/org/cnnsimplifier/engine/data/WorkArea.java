package org.cnnsimplifier.engine.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnnsimplifier.engine.TempFiles;

/**
 * A temporary directory made on first use and deleted, with everything in it, on close. A data set
 * owns one; when opening fails, the opener closes it so nothing is left behind.
 */
final class WorkArea implements AutoCloseable {
  private static final String PREFIX = "cnnsimplifier-data-";

  private final Path parent;
  private Path dir;

  /**
   * @param parent where to make the directory; {@code null} for the system temp directory
   */
  WorkArea(Path parent) {
    this.parent = parent;
  }

  /** The directory, made now if it does not exist yet. */
  synchronized Path dir() {
    if (dir == null) {
      try {
        dir =
            parent == null
                ? Files.createTempDirectory(PREFIX)
                : Files.createTempDirectory(Files.createDirectories(parent), PREFIX);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create a temporary directory: " + e.getMessage(), e);
      }
    }
    return dir;
  }

  @Override
  public synchronized void close() {
    if (dir != null) {
      deleteRecursively(dir);
      dir = null;
    }
  }

  static void deleteRecursively(Path root) {
    try {
      TempFiles.deleteRecursively(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete temporary directory " + root, e);
    }
  }
}
