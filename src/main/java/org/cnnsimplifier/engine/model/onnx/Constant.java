package org.cnnsimplifier.engine.model.onnx;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A tensor whose value is known when the model is read: an initializer (weights), the output of a
 * {@code Constant} node, or the result of folding shape arithmetic. Float tensors keep {@code
 * floats}, integer tensors {@code ints}; in a tensor computed from a {@code Shape}, {@link #BATCH}
 * stands for the batch size, which is not known.
 *
 * @param dims the tensor's dimensions (empty for a scalar)
 */
record Constant(long[] dims, float[] floats, long[] ints) {
  /** The unknown batch dimension in shape arithmetic. */
  static final long BATCH = Long.MIN_VALUE;

  static Constant ofFloats(long[] dims, float[] values) {
    return new Constant(dims, values, null);
  }

  static Constant ofInts(long[] dims, long[] values) {
    return new Constant(dims, null, values);
  }

  boolean isInteger() {
    return ints != null;
  }

  int size() {
    return isInteger() ? ints.length : floats.length;
  }

  int rank() {
    return dims.length;
  }

  /** The values as integers (float values truncated). */
  long[] longs() {
    if (isInteger()) {
      return ints;
    }
    long[] out = new long[floats.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (long) floats[i];
    }
    return out;
  }

  /** The values as floats. */
  float[] values() {
    if (!isInteger()) {
      return floats;
    }
    float[] out = new float[ints.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = ints[i];
    }
    return out;
  }

  /** The single value of a scalar or one-element tensor. */
  double scalar() {
    if (size() != 1) {
      throw new IllegalStateException("not a single value: " + Arrays.toString(dims));
    }
    return isInteger() ? ints[0] : floats[0];
  }

  /** The values as a c-order float array of these dimensions. */
  INDArray array() {
    long[] shape = dims.length == 0 ? new long[] {1} : dims;
    return Nd4j.create(values().clone(), shape, 'c');
  }

  Constant reshaped(long... newDims) {
    return new Constant(newDims, floats, ints);
  }
}
