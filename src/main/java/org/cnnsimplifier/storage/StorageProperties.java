package org.cnnsimplifier.storage;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where blobs go.
 *
 * @param store {@code filesystem} (default) or {@code database}
 * @param path the directory of the file-system store
 */
@ConfigurationProperties("cnn.blobs")
public record StorageProperties(String store, Path path) {

  public StorageProperties {
    store = store == null ? "filesystem" : store;
    path = path == null ? Path.of("data", "blobs") : path;
  }
}
