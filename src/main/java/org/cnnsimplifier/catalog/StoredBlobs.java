package org.cnnsimplifier.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.cnnsimplifier.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The blob store as the catalog uses it: a blob is only kept together with its row, so a row insert
 * that fails deletes the blob it was for.
 */
@Component
class StoredBlobs {
  private static final Logger log = LoggerFactory.getLogger(StoredBlobs.class);

  private final BlobStore store;

  StoredBlobs(BlobStore store) {
    this.store = store;
  }

  String put(Path file) throws IOException {
    return store.put(file);
  }

  /** Runs the insert of the row that refers to the blob; deletes the blob if it fails. */
  void insertOrDelete(String blobKey, Runnable insert) {
    try {
      insert.run();
    } catch (RuntimeException e) {
      try {
        store.delete(blobKey);
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
        log.error("blob {} is left without a row: {}", blobKey, cleanup.toString());
      }
      throw e;
    }
  }

  /** Deletes the blob of a deleted row; a failure leaves an orphan blob, which is only logged. */
  void deleteQuietly(String blobKey) {
    store.deleteQuietly(blobKey);
  }

  void copyTo(String blobKey, Path target) {
    try {
      store.copyTo(blobKey, target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read blob " + blobKey + ": " + e.getMessage(), e);
    }
  }

  java.io.InputStream open(String blobKey) throws IOException {
    return store.open(blobKey);
  }
}
