package org.cnnsimplifier.catalog;

import java.nio.file.Path;
import org.cnnsimplifier.engine.data.ArchiveLimits;
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
 * @param maxDatasetUncompressedBytes the most a data set's zip (and the gzipped IDX files in it)
 *     may expand to on disk, checked against the sizes the archive declares before anything is
 *     written and against the bytes inflated while extracting; default four times {@code max-bytes}
 * @param maxDatasetEntries the most entries a data set's zip may have; default 1,000,000
 * @param maxCompressionRatio how many times its compressed size one archive entry may expand to
 *     (entries up to 64 MiB may expand any amount); default 100. Images and IDX files expand a few
 *     times, zip bombs a thousand or more
 */
@ConfigurationProperties("cnn.uploads")
public record UploadProperties(
    DataSize maxBytes,
    Integer maxModelZipEntries,
    DataSize maxModelUncompressedBytes,
    Path tempDir,
    DataSize maxDatasetUncompressedBytes,
    Integer maxDatasetEntries,
    Integer maxCompressionRatio) {

  public UploadProperties {
    maxBytes = maxBytes == null ? DataSize.ofGigabytes(2) : maxBytes;
    maxModelZipEntries = maxModelZipEntries == null ? 1000 : maxModelZipEntries;
    maxModelUncompressedBytes =
        maxModelUncompressedBytes == null
            ? DataSize.ofBytes(Runtime.getRuntime().maxMemory() / 4)
            : maxModelUncompressedBytes;
    maxDatasetUncompressedBytes =
        maxDatasetUncompressedBytes == null
            ? DataSize.ofBytes(maxBytes.toBytes() * 4)
            : maxDatasetUncompressedBytes;
    maxDatasetEntries =
        maxDatasetEntries == null ? ArchiveLimits.DEFAULT_MAX_ENTRIES : maxDatasetEntries;
    maxCompressionRatio =
        maxCompressionRatio == null ? ArchiveLimits.DEFAULT_MAX_RATIO : maxCompressionRatio;
  }

  /** The limits every data set archive is opened with, at upload and in jobs. */
  public ArchiveLimits datasetLimits() {
    return new ArchiveLimits(
        maxDatasetUncompressedBytes.toBytes(), maxDatasetEntries, maxCompressionRatio);
  }
}
