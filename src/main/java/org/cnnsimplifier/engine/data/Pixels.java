package org.cnnsimplifier.engine.data;

import org.cnnsimplifier.engine.model.InputShape;

/**
 * One decoded image: values in [0, 1], channel-major ({@code data[c*H*W + y*W + x]}), 1 channel
 * (gray) or 3 (RGB).
 */
record Pixels(InputShape shape, float[] data) {

  Pixels {
    if (data.length != shape.size()) {
      throw new IllegalArgumentException(
          "pixel buffer has " + data.length + " values, shape " + shape + " needs " + shape.size());
    }
  }
}
