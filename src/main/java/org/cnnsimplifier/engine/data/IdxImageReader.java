package org.cnnsimplifier.engine.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.cnnsimplifier.engine.InvalidDatasetException;
import org.cnnsimplifier.engine.model.InputShape;

/**
 * Reads single images from an uncompressed IDX images file by position: only the header is kept in
 * memory. Positional reads on the channel are safe from several iterators at once.
 */
final class IdxImageReader implements SampleReader {
  private final FileChannel channel;
  private final IdxFiles.Header header;
  private final InputShape nativeShape;
  private final ShapePolicy policy;
  private final String displayName;

  private IdxImageReader(
      FileChannel channel, IdxFiles.Header header, ShapePolicy policy, String displayName) {
    this.channel = channel;
    this.header = header;
    this.nativeShape = new InputShape(1, header.dims()[1], header.dims()[2]);
    this.policy = policy;
    this.displayName = displayName;
  }

  /** Opens {@code file} and checks its header and image shape; closes the file on failure. */
  static IdxImageReader open(Path file, ShapePolicy policy, String displayName) {
    FileChannel channel = null;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
      IdxFiles.Header header = IdxFiles.readHeader(channel, 3, displayName);
      IdxImageReader reader = new IdxImageReader(channel, header, policy, displayName);
      policy.check(reader.nativeShape, displayName);
      return reader;
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      if (e instanceof RuntimeException re) {
        throw re;
      }
      throw new InvalidDatasetException("cannot read IDX file " + displayName + ": " + e, e);
    }
  }

  int count() {
    return Math.toIntExact(header.count());
  }

  @Override
  public void read(int index, float[] dest, int offset) {
    long size = header.itemSize();
    ByteBuffer bytes;
    try {
      bytes = IdxFiles.readFully(channel, header.dataOffset() + index * size, size, displayName);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read image " + index + " of " + displayName, e);
    }
    float[] values = new float[(int) size];
    for (int i = 0; i < values.length; i++) {
      values[i] = (bytes.get(i) & 0xff) / 255f;
    }
    float[] shaped = policy.apply(new Pixels(nativeShape, values), displayName);
    System.arraycopy(shaped, 0, dest, offset, shaped.length);
  }

  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing useful to do: the file was only read.
      }
    }
  }

  /** Reads every label of an IDX labels file (one byte each: the index is this small). */
  static int[] readLabels(Path file, String displayName) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      IdxFiles.Header header = IdxFiles.readHeader(channel, 1, displayName);
      ByteBuffer bytes =
          IdxFiles.readFully(channel, header.dataOffset(), header.count(), displayName);
      int[] labels = new int[bytes.limit()];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = bytes.get(i) & 0xff;
      }
      return labels;
    } catch (IOException e) {
      throw new InvalidDatasetException("cannot read IDX file " + displayName + ": " + e, e);
    }
  }
}
