package org.cnnsimplifier.catalog;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Upload settings ({@code cnn.uploads.*}).
 *
 * @param maxBytes the most one upload request may send (all its files together); more is refused
 *     with 413. Default 2 GB
 * @param maxModelZipEntries the most entries a model zip may have; default 1000
 * @param maxModelUncompressedBytes the most a model zip may inflate to. Deeplearning4j restores a
 *     zip by reading each entry into a growing array on the heap, which needs up to three times the
 *     entry's size; so the default is a quarter of the maximum heap (-Xmx), and a model larger than
 *     that is refused with 422 rather than risking the heap
 * @param tempDir where uploads are received before they are stored; default {@code
 *     cnn.data-dir/tmp}
 */
@ConfigurationProperties("cnn.uploads")
public record UploadProperties(
    DataSize maxBytes,
    Integer maxModelZipEntries,
    DataSize maxModelUncompressedBytes,
    Path tempDir) {

  public UploadProperties {
    maxBytes = maxBytes == null ? DataSize.ofGigabytes(2) : maxBytes;
    maxModelZipEntries = maxModelZipEntries == null ? 1000 : maxModelZipEntries;
    maxModelUncompressedBytes =
        maxModelUncompressedBytes == null
            ? DataSize.ofBytes(Runtime.getRuntime().maxMemory() / 4)
            : maxModelUncompressedBytes;
  }
}
