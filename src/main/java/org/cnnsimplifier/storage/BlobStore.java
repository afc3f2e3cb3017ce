package org.cnnsimplifier.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where uploaded files, checkpoints and results are kept: the file system (a shared volume) or the
 * database (for clusters without one). Keys are opaque; a blob is written once and never changed.
 */
public interface BlobStore {

  /**
   * Stores the content of a local file under a new key. The file is moved when the store can (it is
   * then gone), copied otherwise. Either the whole blob is stored or nothing is.
   */
  String put(Path file) throws IOException;

  /** Reads a blob. */
  InputStream open(String key) throws IOException;

  /** Copies a blob to a local file (for the engine, which reads files). */
  void copyTo(String key, Path target) throws IOException;

  /** Deletes a blob; deleting a missing blob is not an error. */
  void delete(String key) throws IOException;

  /**
   * Deletes a blob for clean-up, where a blob left behind is only wasted space: a failure is
   * logged, not thrown. A null key does nothing.
   */
  default void deleteQuietly(String key) {
    if (key == null) {
      return;
    }
    try {
      delete(key);
    } catch (IOException | RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(BlobStore.class)
          .warn("could not delete blob {}: {}", key, e.toString());
    }
  }

  /** Whether a blob exists. */
  boolean exists(String key) throws IOException;
}
