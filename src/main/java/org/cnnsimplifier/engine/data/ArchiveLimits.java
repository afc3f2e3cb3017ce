package org.cnnsimplifier.engine.data;

/**
 * Bounds on what an archive (a zip, a gzipped IDX file) may expand to, so an uploaded file cannot
 * fill the disk. Bytes are counted as they are written, not taken from archive headers.
 *
 * @param maxUncompressedBytes total bytes all entries of one data set may expand to
 * @param maxEntries number of entries a zip may hold (directories included)
 */
public record ArchiveLimits(long maxUncompressedBytes, int maxEntries) {

  /** 8 GiB. */
  public static final long DEFAULT_MAX_UNCOMPRESSED_BYTES = 8L << 30;

  public static final int DEFAULT_MAX_ENTRIES = 1_000_000;

  public ArchiveLimits {
    if (maxUncompressedBytes <= 0 || maxEntries <= 0) {
      throw new IllegalArgumentException(
          "archive limits must be positive, got "
              + maxUncompressedBytes
              + " bytes, "
              + maxEntries
              + " entries");
    }
  }

  /** 8 GiB and one million entries. */
  public static ArchiveLimits defaults() {
    return new ArchiveLimits(DEFAULT_MAX_UNCOMPRESSED_BYTES, DEFAULT_MAX_ENTRIES);
  }
}
