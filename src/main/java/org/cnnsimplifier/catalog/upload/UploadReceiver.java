package org.cnnsimplifier.catalog.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.cnnsimplifier.engine.TempFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives uploads into temporary workspaces under one directory ({@code cnn.data-dir/tmp}), with a
 * byte limit per request. Bodies are streamed to disk, never held in memory, so an upload of any
 * size up to the limit works with a small heap.
 */
public final class UploadReceiver {
  private static final Logger log = LoggerFactory.getLogger(UploadReceiver.class);

  /** Workspaces older than this are left over from a crash and deleted at start-up. */
  private static final Duration STALE = Duration.ofDays(1);

  private static final String UPLOAD_PREFIX = "upload-";
  private static final String LOAD_PREFIX = "load-";

  private final Path root;
  private final long limitBytes;

  public UploadReceiver(Path root, long limitBytes, Clock clock) throws IOException {
    if (limitBytes <= 0) {
      throw new IllegalArgumentException("the upload limit must be positive, got " + limitBytes);
    }
    this.root = Files.createDirectories(root.toAbsolutePath().normalize());
    this.limitBytes = limitBytes;
    deleteStaleWorkspaces(clock.instant().minus(STALE));
  }

  /** A new, empty workspace for one request; close it when the request is done. */
  public UploadWorkspace open() throws IOException {
    return new UploadWorkspace(Files.createTempDirectory(root, UPLOAD_PREFIX), limitBytes);
  }

  /** A new temporary directory for copying a blob out for the engine; delete it when done. */
  public Path newTempDirectory() throws IOException {
    return Files.createTempDirectory(root, LOAD_PREFIX);
  }

  /** Deletes a directory made by {@link #newTempDirectory}; failures are logged. */
  public void deleteTempDirectory(Path dir) {
    try {
      TempFiles.deleteRecursively(dir);
    } catch (IOException | RuntimeException e) {
      log.warn("could not delete temporary directory {}: {}", dir, e.toString());
    }
  }

  public Path root() {
    return root;
  }

  public long limitBytes() {
    return limitBytes;
  }

  /**
   * Only old directories of this class's own making go: other instances may share the data
   * directory and be receiving now, and data sets opened for long jobs keep work areas here.
   */
  private void deleteStaleWorkspaces(Instant before) {
    try (Stream<Path> children = Files.list(root)) {
      for (Path child : children.toList()) {
        String name = child.getFileName().toString();
        boolean ours = name.startsWith(UPLOAD_PREFIX) || name.startsWith(LOAD_PREFIX);
        if (ours && Files.getLastModifiedTime(child).toInstant().isBefore(before)) {
          log.info("deleting stale temporary upload {}", child);
          TempFiles.deleteRecursively(child);
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("could not clean stale uploads under {}: {}", root, e.toString());
    }
  }
}
