package org.cnnsimplifier.engine.model;

/** The shape of one input image as the model sees it: channels × height × width (NCHW). */
public record InputShape(int channels, int height, int width) {

  public InputShape {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "input shape must be positive, got " + channels + "x" + height + "x" + width);
    }
  }

  /** Values per image. */
  public long size() {
    return (long) channels * height * width;
  }

  @Override
  public String toString() {
    return channels + "x" + height + "x" + width;
  }
}
