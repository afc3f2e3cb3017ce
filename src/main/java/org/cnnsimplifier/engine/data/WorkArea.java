package org.cnnsimplifier.engine.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

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
    if (!Files.exists(root)) {
      return;
    }
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete temporary directory " + root, e);
    }
  }
}
