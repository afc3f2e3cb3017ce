package org.cnnsimplifier.engine.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.cnnsimplifier.engine.InvalidDatasetException;

/**
 * The IDX format of MNIST and Fashion-MNIST: a big-endian header (two zero bytes, a type byte —
 * 0x08 for unsigned bytes — and the number of dimensions, then one int per dimension) followed by
 * the values. Images are {@code [n, rows, cols]}, labels {@code [n]}. Files are named like {@code
 * train-images-idx3-ubyte[.gz]} and {@code t10k-labels-idx1-ubyte[.gz]}.
 */
final class IdxFiles {
  private static final Pattern NAME =
      Pattern.compile("(?i)^(.+?)[-._](images|labels)[-._]idx([13])-ubyte(\\.gz)?$");
  static final int UNSIGNED_BYTE = 0x08;

  private IdxFiles() {}

  /** What a file name says: the split prefix, images or labels, gzipped or not. */
  record IdxName(String prefix, boolean images, boolean gzipped) {}

  static boolean isIdxFile(Path path) {
    return Files.isRegularFile(path) && parse(path) != null;
  }

  /** The parsed name, or {@code null} if the file is not named like an IDX file. */
  static IdxName parse(Path path) {
    Matcher m = NAME.matcher(path.getFileName().toString());
    if (!m.matches()) {
      return null;
    }
    boolean images = m.group(2).equalsIgnoreCase("images");
    // idx3 goes with images and idx1 with labels; anything else is not an MNIST-style pair.
    if (images != m.group(3).equals("3")) {
      return null;
    }
    return new IdxName(m.group(1).toLowerCase(Locale.ROOT), images, m.group(4) != null);
  }

  /** A parsed header: the dimensions and where the data starts. */
  record Header(int[] dims, long dataOffset) {
    long count() {
      return dims[0];
    }

    long itemSize() {
      long size = 1;
      for (int i = 1; i < dims.length; i++) {
        size *= dims[i];
      }
      return size;
    }
  }

  /**
   * Reads and checks the header: the magic number must announce unsigned bytes with {@code
   * expectedDims} dimensions, and the file must be long enough for the data it announces.
   */
  static Header readHeader(FileChannel channel, int expectedDims, String displayName)
      throws IOException {
    ByteBuffer magic = readFully(channel, 0, 4, displayName);
    int zero0 = magic.get(0) & 0xff;
    int zero1 = magic.get(1) & 0xff;
    int type = magic.get(2) & 0xff;
    int dims = magic.get(3) & 0xff;
    if (zero0 != 0 || zero1 != 0 || type != UNSIGNED_BYTE || dims != expectedDims) {
      throw new InvalidDatasetException(
          String.format(
              "IDX file %s has magic number 0x%02x%02x%02x%02x but 0x%08x (unsigned bytes, %d"
                  + " dimension%s) was expected; it is not an MNIST-style %s file or is corrupt",
              displayName,
              zero0,
              zero1,
              type,
              dims,
              (UNSIGNED_BYTE << 8) | expectedDims,
              expectedDims,
              expectedDims == 1 ? "" : "s",
              expectedDims == 1 ? "labels" : "images"));
    }
    ByteBuffer sizes = readFully(channel, 4, 4L * dims, displayName);
    int[] shape = new int[dims];
    for (int i = 0; i < dims; i++) {
      shape[i] = sizes.getInt(4 * i);
      if (shape[i] <= 0) {
        throw new InvalidDatasetException(
            "IDX file "
                + displayName
                + " declares a dimension of size "
                + shape[i]
                + "; it is corrupt");
      }
    }
    Header header = new Header(shape, 4L + 4L * dims);
    long needed = header.dataOffset() + header.count() * header.itemSize();
    if (channel.size() < needed) {
      throw new InvalidDatasetException(
          "IDX file "
              + displayName
              + " is truncated: its header announces "
              + header.count()
              + " items ("
              + needed
              + " bytes) but it has "
              + channel.size()
              + " bytes");
    }
    return header;
  }

  static ByteBuffer readFully(FileChannel channel, long position, long length, String name)
      throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(length));
    while (buffer.hasRemaining()) {
      int n = channel.read(buffer, position + buffer.position());
      if (n < 0) {
        throw new InvalidDatasetException(
            "IDX file " + name + " ends early, at byte " + (position + buffer.position()));
      }
    }
    return buffer.flip();
  }

  /**
   * Gunzips {@code source} to {@code target}, counting the bytes written against {@code budget}
   * (the remaining allowance; returns what is left of it).
   */
  static long gunzip(
      Path source, Path target, long budget, ArchiveLimits limits, String displayName) {
    byte[] buffer = new byte[64 * 1024];
    long left = budget;
    long compressed;
    try {
      compressed = Files.size(source);
    } catch (IOException e) {
      throw new InvalidDatasetException("cannot read " + displayName + ": " + e.getMessage(), e);
    }
    long inflated = 0;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(source), buffer.length);
        OutputStream out =
            Files.newOutputStream(
                target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        left -= n;
        inflated += n;
        if (!limits.ratioAllows(inflated, compressed)) {
          throw new InvalidDatasetException(
              "gzipped file "
                  + displayName
                  + " looks like a gzip bomb: it expands more than "
                  + limits.maxRatio()
                  + " times; nothing was kept");
        }
        if (left < 0) {
          throw new InvalidDatasetException(
              "gzipped file "
                  + displayName
                  + " is too large: it expands beyond the data set size limit"
                  + " (cnn.uploads.max-dataset-uncompressed-bytes); it may be a gzip bomb, or the"
                  + " limit must be raised");
        }
        out.write(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new InvalidDatasetException(
          "gzipped file "
              + displayName
              + " cannot be decompressed ("
              + e.getMessage()
              + "); upload it again or upload it uncompressed",
          e);
    }
    return left;
  }
}
