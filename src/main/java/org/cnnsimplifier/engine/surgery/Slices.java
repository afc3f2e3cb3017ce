package org.cnnsimplifier.engine.surgery;

import org.cnnsimplifier.engine.model.NetworkMemory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies of parameter arrays restricted to some indices along one dimension.
 *
 * <p>Works on plain Java arrays rather than ND4J views: ND4J 1.0.0-M2.1 returns empty arrays or
 * throws when indexing the last kernels of some convolution weight views.
 */
final class Slices {
  private Slices() {}

  /** The entries of {@code source} whose index along {@code dim} is in {@code keep}, in order. */
  /** The values in 'c' order, through a copy freed at once. */
  private static float[] floats(INDArray source) {
    INDArray copy = source.dup('c');
    float[] values = copy.data().asFloat();
    NetworkMemory.close(copy);
    return values;
  }

  static INDArray keep(INDArray source, int dim, int[] keep) {
    Blocks blocks = new Blocks(source.shape(), dim);
    float[] from = floats(source);
    float[] to = new float[Math.toIntExact(blocks.outer * keep.length * blocks.inner)];
    int at = 0;
    for (long o = 0; o < blocks.outer; o++) {
      for (int k : keep) {
        System.arraycopy(from, blocks.start(o, k), to, at, (int) blocks.inner);
        at += (int) blocks.inner;
      }
    }
    long[] newShape = source.shape().clone();
    newShape[dim] = keep.length;
    return Nd4j.create(to, newShape, 'c').castTo(source.dataType());
  }

  /** A copy of {@code source} with the entries at {@code zero} along {@code dim} set to 0. */
  static INDArray zero(INDArray source, int dim, int[] zero) {
    Blocks blocks = new Blocks(source.shape(), dim);
    float[] data = floats(source);
    for (long o = 0; o < blocks.outer; o++) {
      for (int k : zero) {
        int start = blocks.start(o, k);
        java.util.Arrays.fill(data, start, start + (int) blocks.inner, 0f);
      }
    }
    return Nd4j.create(data, source.shape(), 'c').castTo(source.dataType());
  }

  /**
   * A c-ordered array seen as {@code outer × mid × inner} around dimension {@code dim}: index
   * {@code k} along it is one contiguous block of {@code inner} values per outer index.
   */
  private record Blocks(long outer, long mid, long inner) {
    Blocks(long[] shape, int dim) {
      this(product(shape, 0, dim), shape[dim], product(shape, dim + 1, shape.length));
    }

    int start(long outerIndex, int k) {
      return Math.toIntExact((outerIndex * mid + k) * inner);
    }

    private static long product(long[] shape, int from, int to) {
      long result = 1;
      for (int i = from; i < to; i++) {
        result *= shape[i];
      }
      return result;
    }
  }

  /** The dimension of a per-channel vector parameter ([C] or [1, C]) that holds the channels. */
  static int channelDim(INDArray vector) {
    return vector.rank() == 1 ? 0 : 1;
  }

  /**
   * The input rows of a dense layer that come from the given channels of a flattened C×H×W
   * activation, in the order the flatten produces them.
   */
  static int[] flattenedRows(
      int[] channels, int allChannels, long height, long width, boolean channelsLast) {
    int positions = Math.toIntExact(height * width);
    int[] rows = new int[channels.length * positions];
    int at = 0;
    if (channelsLast) {
      for (int p = 0; p < positions; p++) {
        for (int c : channels) {
          rows[at++] = p * allChannels + c;
        }
      }
    } else {
      for (int c : channels) {
        for (int p = 0; p < positions; p++) {
          rows[at++] = c * positions + p;
        }
      }
    }
    return rows;
  }
}
