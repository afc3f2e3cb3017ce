package org.cnnsimplifier.engine.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the images of a class-folder data set are decoded: with which library, and whether they are
 * decoded once into a tensor store (a memory-mapped file of 8-bit tensors in the data set's shape
 * and channel order, shared by every data set opened from the same source with the same options) or
 * per batch.
 *
 * @param decoder the library that decodes PNG and JPEG files
 * @param storeDir the directory of this source's tensor stores; {@code null} decodes per batch
 * @param sourceKey identifies the source's content (e.g. its SHA-256): a store made from other
 *     content is not used. Needed with a store directory
 * @param storeMaxBytes the largest store made; a data set whose tensors would take more is decoded
 *     per batch
 */
public record DecodeOptions(
    ImageDecoder decoder, Path storeDir, String sourceKey, long storeMaxBytes) {

  /** 4 GiB. */
  public static final long DEFAULT_STORE_MAX_BYTES = 4L << 30;

  public DecodeOptions {
    Objects.requireNonNull(decoder, "decoder");
    if (storeDir != null && (sourceKey == null || sourceKey.isBlank())) {
      throw new IllegalArgumentException("a tensor store needs a source key");
    }
    if (storeMaxBytes < 0) {
      throw new IllegalArgumentException("storeMaxBytes must be >= 0, got " + storeMaxBytes);
    }
  }

  /** OpenCV where it can, ImageIO otherwise, decoding per batch. */
  public static DecodeOptions perBatch() {
    return new DecodeOptions(ImageDecoder.AUTO, null, null, DEFAULT_STORE_MAX_BYTES);
  }

  /** Decoded once into stores under {@code dir}, for sets up to {@code maxBytes}. */
  public static DecodeOptions stored(Path dir, String sourceKey, long maxBytes) {
    return new DecodeOptions(ImageDecoder.AUTO, dir, sourceKey, maxBytes);
  }

  public DecodeOptions withDecoder(ImageDecoder newDecoder) {
    return new DecodeOptions(newDecoder, storeDir, sourceKey, storeMaxBytes);
  }

  boolean storing() {
    return storeDir != null;
  }
}
