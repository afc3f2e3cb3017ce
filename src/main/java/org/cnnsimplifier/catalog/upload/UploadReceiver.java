package org.cnnsimplifier.catalog.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.cnnsimplifier.engine.TempFiles;
import org.cnnsimplifier.system.ScratchSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives uploads into temporary workspaces under one directory ({@code cnn.data-dir/tmp}), with a
 * byte limit per request. Bodies are streamed to disk, never held in memory, so an upload of any
 * size up to the limit works with a small heap. Each workspace is a {@link ScratchSpace} claim, so
 * what a killed process was receiving is deleted by the next sweep (at start-up and by {@link
 * #sweep}).
 */
public final class UploadReceiver {
  private static final Logger log = LoggerFactory.getLogger(UploadReceiver.class);

  private static final String UPLOAD_PREFIX = "upload-";
  private static final String LOAD_PREFIX = "load-";

  private final Path root;
  private final long limitBytes;
  private final Map<Path, ScratchSpace.Claim> claims = new ConcurrentHashMap<>();

  public UploadReceiver(Path root, long limitBytes, Clock clock) throws IOException {
    if (limitBytes <= 0) {
      throw new IllegalArgumentException("the upload limit must be positive, got " + limitBytes);
    }
    this.root = Files.createDirectories(root.toAbsolutePath().normalize());
    this.limitBytes = limitBytes;
    sweep();
  }

  /** A new, empty workspace for one request; close it when the request is done. */
  public UploadWorkspace open() throws IOException {
    ScratchSpace.Claim claim = ScratchSpace.claim(Files.createTempDirectory(root, UPLOAD_PREFIX));
    return new UploadWorkspace(claim, limitBytes);
  }

  /** A new temporary directory for copying a blob out for the engine; delete it when done. */
  public Path newTempDirectory() throws IOException {
    ScratchSpace.Claim claim = ScratchSpace.claim(Files.createTempDirectory(root, LOAD_PREFIX));
    claims.put(claim.dir(), claim);
    return claim.dir();
  }

  /** Deletes a directory made by {@link #newTempDirectory}; failures are logged. */
  public void deleteTempDirectory(Path dir) {
    try {
      TempFiles.deleteRecursively(dir);
    } catch (IOException | RuntimeException e) {
      log.warn("could not delete temporary directory {}: {}", dir, e.toString());
    } finally {
      ScratchSpace.Claim claim = claims.remove(dir);
      if (claim != null) {
        claim.close();
      }
    }
  }

  /**
   * Deletes what processes that ended (a crash, a {@code kill -9}) left under the directory:
   * workspaces and copies no live process holds.
   */
  public int sweep() {
    return ScratchSpace.sweep(root);
  }

  public Path root() {
    return root;
  }

  public long limitBytes() {
    return limitBytes;
  }
}
