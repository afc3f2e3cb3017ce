package org.cnnsimplifier.engine.model.onnx;

import java.util.Arrays;

/**
 * A tensor the network computes: the DL4J vertex producing it and its dimensions without the batch
 * — {@code [channels, height, width]} for feature maps, {@code [features]} once flattened.
 *
 * @param nonNegative whether every value is known to be ≥ 0 (after a ReLU, say), which makes zero
 *     padding before a max pooling exact
 */
record Value(String vertex, long[] dims, boolean nonNegative) {

  boolean isSpatial() {
    return dims.length == 3;
  }

  long channels() {
    return dims[0];
  }

  long height() {
    return dims[1];
  }

  long width() {
    return dims[2];
  }

  long size() {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    return n;
  }

  Value flattened() {
    return new Value(vertex, new long[] {size()}, nonNegative);
  }

  Value at(String newVertex, long[] newDims, boolean newNonNegative) {
    return new Value(newVertex, newDims, newNonNegative);
  }

  String describe() {
    return isSpatial()
        ? channels() + "x" + height() + "x" + width() + " feature maps"
        : Arrays.toString(dims) + " features";
  }
}
