package org.cnnsimplifier.catalog.upload;

/** What a file is, told by its first bytes (magic numbers), never by its name. */
public enum FileType {
  /** A zip archive: a Deeplearning4j model, or a data set of class folders or IDX files. */
  ZIP,
  /** An HDF5 file: a Keras model. */
  HDF5,
  /** An IDX file of unsigned-byte images, {@code [n, rows, cols]} (magic 0x00000803). */
  IDX_IMAGES,
  /** An IDX file of unsigned-byte labels, {@code [n]} (magic 0x00000801). */
  IDX_LABELS,
  /** A gzip stream (for data sets: a gzipped IDX file). */
  GZIP,
  /** A serialized ONNX ModelProto: its first field, ir_version, comes first. */
  ONNX,
  /** None of the above. */
  OTHER;

  /** How many leading bytes {@link #sniff} needs. */
  static final int HEAD_BYTES = 8;

  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  /** The type of content starting with {@code head[0..length)}. */
  static FileType sniff(byte[] head, int length) {
    if (length >= 4 && head[0] == 'P' && head[1] == 'K') {
      // A local file header, or the end record of an empty archive.
      if ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)) {
        return ZIP;
      }
    }
    if (length >= HDF5_SIGNATURE.length && startsWith(head, HDF5_SIGNATURE)) {
      return HDF5;
    }
    if (length >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 0x08) {
      if (head[3] == 3) {
        return IDX_IMAGES;
      }
      if (head[3] == 1) {
        return IDX_LABELS;
      }
    }
    if (length >= 2 && head[0] == 0x1f && head[1] == (byte) 0x8b) {
      return GZIP;
    }
    if (length >= 2 && head[0] == 0x08 && head[1] > 0 && head[1] < 0x20) {
      return ONNX;
    }
    return OTHER;
  }

  private static boolean startsWith(byte[] head, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (head[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
