package org.cnnsimplifier.engine.data;

/**
 * Bounds on what an archive (a zip, a gzipped IDX file) may expand to, so an uploaded file cannot
 * fill the disk. The sizes an archive declares are checked before anything is written, and the
 * bytes actually inflated are counted before they are written (declared sizes can lie).
 *
 * @param maxUncompressedBytes total bytes all entries of one data set may expand to
 * @param maxEntries number of entries a zip may hold (directories included)
 * @param maxRatio how many times its compressed size one entry may expand to, once it is past
 *     {@link #RATIO_GRACE_BYTES}: images and IDX files compress a few times, zip bombs a thousand
 */
public record ArchiveLimits(long maxUncompressedBytes, int maxEntries, int maxRatio) {

  /** 8 GiB. */
  public static final long DEFAULT_MAX_UNCOMPRESSED_BYTES = 8L << 30;

  public static final int DEFAULT_MAX_ENTRIES = 1_000_000;

  public static final int DEFAULT_MAX_RATIO = 100;

  /** Entries up to this size may have any ratio (a blank image compresses very well). */
  public static final long RATIO_GRACE_BYTES = 64L << 20;

  public ArchiveLimits {
    if (maxUncompressedBytes <= 0 || maxEntries <= 0 || maxRatio <= 0) {
      throw new IllegalArgumentException(
          "archive limits must be positive, got "
              + maxUncompressedBytes
              + " bytes, "
              + maxEntries
              + " entries, ratio "
              + maxRatio);
    }
  }

  /** These bounds with the default ratio. */
  public ArchiveLimits(long maxUncompressedBytes, int maxEntries) {
    this(maxUncompressedBytes, maxEntries, DEFAULT_MAX_RATIO);
  }

  /** 8 GiB, one million entries, ratio 100. */
  public static ArchiveLimits defaults() {
    return new ArchiveLimits(DEFAULT_MAX_UNCOMPRESSED_BYTES, DEFAULT_MAX_ENTRIES);
  }

  /** Whether {@code inflated} bytes from {@code compressed} bytes pass the ratio. */
  public boolean ratioAllows(long inflated, long compressed) {
    return inflated <= RATIO_GRACE_BYTES || inflated <= Math.max(compressed, 1) * (long) maxRatio;
  }
}
