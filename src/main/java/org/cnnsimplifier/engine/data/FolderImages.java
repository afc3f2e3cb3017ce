package org.cnnsimplifier.engine.data;

import java.nio.file.Path;
import java.util.List;
import org.cnnsimplifier.engine.model.InputPreprocessing.ChannelOrder;
import org.cnnsimplifier.engine.model.InputShape;

/**
 * The images of a class-folder data set by index: the list of relative paths is the whole in-memory
 * index. Decodes per batch, and gives the 8-bit tensors a store is built from.
 */
final class FolderImages implements SampleReader {
  private final Path base;
  private final List<String> files;
  private final ShapePolicy policy;
  private final ImageDecoder decoder;

  FolderImages(Path base, List<String> files, ShapePolicy policy, ImageDecoder decoder) {
    this.base = base;
    this.files = files;
    this.policy = policy;
    this.decoder = decoder;
  }

  @Override
  public void read(int index, float[] dest, int offset) {
    String relative = files.get(index);
    Pixels pixels = ImageDecoding.decode(base.resolve(relative), relative, decoder);
    float[] values = policy.apply(pixels, relative);
    System.arraycopy(values, 0, dest, offset, values.length);
  }

  /** Images indexed, in index order. */
  int count() {
    return files.size();
  }

  List<String> files() {
    return files;
  }

  ImageDecoder decoder() {
    return decoder;
  }

  /** Whether images are converted to the data set's shape. */
  boolean adapts() {
    return policy.adapts();
  }

  /**
   * Image {@code index} in the data set's shape as 8-bit values, channel-major in {@code order}:
   * the decoded bytes when the image already has the shape (so {@code p / 255f} of them is exactly
   * what {@link #read} gives), else the converted image rounded to 0–255.
   *
   * @throws NotEightBit when the image has more than 8 bits per sample
   */
  byte[] tensor8(int index, ChannelOrder order) {
    String relative = files.get(index);
    Pixels8 decoded = ImageDecoding.decode8(base.resolve(relative), relative, decoder);
    if (decoded == null) {
      throw new NotEightBit(relative);
    }
    InputShape shape = policy.shape();
    byte[] out;
    if (decoded.shape().equals(shape)) {
      policy.check(decoded.shape(), relative);
      out = decoded.data();
    } else {
      out = Pixels8.quantize(policy.apply(decoded.toPixels(), relative));
    }
    if (order == ChannelOrder.BGR && shape.channels() == 3) {
      int plane = shape.height() * shape.width();
      byte[] red = java.util.Arrays.copyOfRange(out, 0, plane);
      System.arraycopy(out, 2 * plane, out, 0, plane);
      System.arraycopy(red, 0, out, 2 * plane, plane);
    }
    return out;
  }

  @Override
  public void close() {}

  /** An image whose samples do not fit in 8 bits: such a data set is decoded per batch. */
  static final class NotEightBit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotEightBit(String image) {
      super("image " + image + " has more than 8 bits per sample");
    }
  }
}
