package org.cnnsimplifier.engine.data;

import org.cnnsimplifier.engine.DatasetMismatchException;
import org.cnnsimplifier.engine.InvalidDatasetException;
import org.cnnsimplifier.engine.model.InputShape;

/**
 * Decides the tensor shape of a data set and whether each image may be used as it is.
 *
 * <ul>
 *   <li>no target: the first image's shape, and every image must have it;
 *   <li>a target without adapt: every image must already have the target shape;
 *   <li>a target with adapt: any gray or RGB image of any size is converted.
 * </ul>
 */
final class ShapePolicy {
  private final InputShape target;
  private final boolean adapt;
  private InputShape expected;

  ShapePolicy(InputShape target, boolean adapt) {
    this.target = target;
    this.adapt = adapt && target != null;
    this.expected = target;
  }

  /** Checks one image's native shape; the first call fixes the shape when there is no target. */
  void check(InputShape nativeShape, String displayName) {
    if (expected == null) {
      expected = nativeShape;
      return;
    }
    if (adapt || expected.equals(nativeShape)) {
      return;
    }
    if (target == null) {
      throw new InvalidDatasetException(
          "image "
              + displayName
              + " is "
              + describe(nativeShape)
              + " but the first image is "
              + describe(expected)
              + "; all images must have the same size and colour type, or choose a target shape"
              + " with adapt (resize and gray/RGB conversion) on");
    }
    throw new DatasetMismatchException(
        "image "
            + displayName
            + " is "
            + describe(nativeShape)
            + " but the model needs "
            + describe(target)
            + "; turn adapt on to resize and convert the images, or resize them beforehand");
  }

  /** Whether images are converted to the target shape. */
  boolean adapts() {
    return adapt;
  }

  /** The shape of the tensors produced; known once an image was checked or a target given. */
  InputShape shape() {
    if (expected == null) {
      throw new IllegalStateException("no image checked yet");
    }
    return expected;
  }

  /** The pixels in the data set's shape (converted when adapting), checked otherwise. */
  float[] apply(Pixels pixels, String displayName) {
    check(pixels.shape(), displayName);
    return adapt ? PixelAdapter.adapt(pixels, expected) : pixels.data();
  }

  static String describe(InputShape shape) {
    String colour = shape.channels() == 1 ? "gray" : shape.channels() == 3 ? "RGB" : "";
    return shape
        + " ("
        + shape.channels()
        + " channel"
        + (shape.channels() == 1 ? "" : "s")
        + (colour.isEmpty() ? "" : ", " + colour)
        + ", "
        + shape.height()
        + "x"
        + shape.width()
        + " pixels)";
  }
}
