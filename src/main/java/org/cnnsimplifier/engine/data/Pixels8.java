package org.cnnsimplifier.engine.data;

import org.cnnsimplifier.engine.model.InputShape;

/**
 * One decoded 8-bit image: values 0–255, channel-major ({@code data[c*H*W + y*W + x]}), 1 channel
 * (gray) or 3 (RGB).
 */
record Pixels8(InputShape shape, byte[] data) {

  Pixels8 {
    if (data.length != shape.size()) {
      throw new IllegalArgumentException(
          "pixel buffer has " + data.length + " values, shape " + shape + " needs " + shape.size());
    }
  }

  /** The same image as values in [0, 1]: {@code p / 255f}, exactly what ImageIO decoding gives. */
  Pixels toPixels() {
    float[] out = new float[data.length];
    toFloats(data, 0, out, 0, data.length);
    return new Pixels(shape, out);
  }

  static void toFloats(byte[] src, int srcOffset, float[] dest, int destOffset, int length) {
    for (int i = 0; i < length; i++) {
      dest[destOffset + i] = (src[srcOffset + i] & 0xff) / 255f;
    }
  }

  /** Values in [0, 1] rounded to the nearest of 0–255. */
  static byte[] quantize(float[] values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      int p = Math.round(values[i] * 255f);
      out[i] = (byte) Math.max(0, Math.min(255, p));
    }
    return out;
  }
}
