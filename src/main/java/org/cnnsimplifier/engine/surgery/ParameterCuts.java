package org.cnnsimplifier.engine.surgery;

import org.cnnsimplifier.engine.model.NetworkMemory;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What removing input and output positions means for each kind of layer: the new sizes in its
 * configuration, and which slices of each parameter stay. The per-layer-kind pruning functions of
 * the surgery.
 */
final class ParameterCuts {
  private ParameterCuts() {}

  /**
   * Shrinks a (cloned) layer configuration and its preprocessor.
   *
   * @param in kept input positions (after the preprocessor), or null when all stay
   * @param rawIn kept input channels before the preprocessor, or null
   * @param out kept output positions, or null
   */
  static void resize(Layer layer, InputPreProcessor pre, int[] in, int[] rawIn, int[] out) {
    Layer conf = LayerKind.unwrap(layer);
    if (conf instanceof FeedForwardLayer ff) {
      if (in != null && ff.getNIn() > 0) {
        ff.setNIn(in.length);
      }
      if (out != null && ff.getNOut() > 0) {
        ff.setNOut(out.length);
      }
    }
    if (conf instanceof PReLULayer prelu && in != null && prelu.getInputShape() != null) {
      long[] shape = prelu.getInputShape().clone();
      shape[0] = in.length;
      prelu.setInputShape(shape);
    }
    if (pre instanceof CnnToFeedForwardPreProcessor flatten && rawIn != null) {
      flatten.setNumChannels(rawIn.length);
    }
  }

  /**
   * The parameter with the removed positions cut out.
   *
   * @param channelsBefore the layer's input channel count before removal (for PReLU's alpha)
   */
  static INDArray cut(
      Layer layer, String key, INDArray value, int[] in, int[] out, long channelsBefore) {
    Layer conf = LayerKind.unwrap(layer);
    LayerKind kind = LayerKind.of(conf);
    INDArray result = value;
    switch (kind) {
      case CONVOLUTION -> {
        if ("W".equals(key)) {
          result = keepBoth(result, 0, out, 1, in);
        } else {
          result = keepChannels(result, out);
        }
      }
      case DECONVOLUTION -> {
        if ("W".equals(key)) {
          result = keepBoth(result, 0, in, 1, out);
        } else {
          result = keepChannels(result, out);
        }
      }
      case SEPARABLE -> {
        long multiplier = ((SeparableConvolution2D) conf).getDepthMultiplier();
        if ("W".equals(key)) {
          result = keep(result, 1, in); // [m, in, kH, kW]
        } else if ("pW".equals(key)) {
          result = keepBoth(result, 0, out, 1, intermediate(in, multiplier, channelsBefore));
        } else {
          result = keepChannels(result, out);
        }
      }
      case DEPTHWISE -> {
        if ("W".equals(key)) {
          result = keep(result, 2, in); // [kH, kW, in, m]
        } else {
          result = keepChannels(result, out);
        }
      }
      case DENSE, OUTPUT -> {
        if ("W".equals(key)) {
          result = keepBoth(result, 0, in, 1, out);
        } else if ("cL".equals(key)) {
          result = keepBoth(result, 0, out, 1, in); // centres [classes, in]
        } else {
          result = keepChannels(result, out);
        }
      }
      case PER_CHANNEL -> {
        if (conf instanceof PReLULayer) {
          if (value.size(0) == channelsBefore) {
            result = keep(result, 0, in);
          }
        } else {
          result = keepChannels(result, out);
        }
      }
      default -> {}
    }
    return result;
  }

  /**
   * Zeroes the parameters that read the removed input positions ({@code in} are the kept ones):
   * afterwards the layer computes as if those inputs were zero.
   */
  static INDArray zeroInputs(Layer layer, String key, INDArray value, int[] in) {
    LayerKind kind = LayerKind.of(LayerKind.unwrap(layer));
    return switch (kind) {
      case CONVOLUTION -> "W".equals(key) ? zeroOthers(value, 1, in) : value;
      case DECONVOLUTION -> "W".equals(key) ? zeroOthers(value, 0, in) : value;
      case SEPARABLE -> "W".equals(key) ? zeroOthers(value, 1, in) : value;
      case DENSE, OUTPUT -> "W".equals(key) ? zeroOthers(value, 0, in) : value;
      default -> value;
    };
  }

  /** Zeroes a member's removed output channels ({@code out} are the kept ones) and their biases. */
  static INDArray zeroOutputs(Layer layer, String key, INDArray value, int[] out) {
    LayerKind kind = LayerKind.of(LayerKind.unwrap(layer));
    if ("b".equals(key)) {
      return zeroOthers(value, Slices.channelDim(value), out);
    }
    return switch (kind) {
      case CONVOLUTION -> "W".equals(key) ? zeroOthers(value, 0, out) : value;
      case DECONVOLUTION -> "W".equals(key) ? zeroOthers(value, 1, out) : value;
      case SEPARABLE -> "pW".equals(key) ? zeroOthers(value, 0, out) : value;
      case DENSE -> "W".equals(key) ? zeroOthers(value, 1, out) : value;
      default -> value;
    };
  }

  /**
   * The separable convolution's intermediate channels (depthwise outputs) of the kept inputs: input
   * channel c owns the {@code multiplier} consecutive channels c·m … c·m + m − 1.
   */
  private static int[] intermediate(int[] in, long multiplier, long channelsBefore) {
    if (in == null) {
      return null;
    }
    int m = Math.toIntExact(multiplier);
    int[] result = new int[in.length * m];
    for (int i = 0; i < in.length; i++) {
      for (int j = 0; j < m; j++) {
        result[i * m + j] = in[i] * m + j;
      }
    }
    return result;
  }

  /** Keeps along two dimensions, freeing the intermediate copy. */
  private static INDArray keepBoth(INDArray value, int dim1, int[] kept1, int dim2, int[] kept2) {
    INDArray first = keep(value, dim1, kept1);
    INDArray second = keep(first, dim2, kept2);
    if (first != value && first != second) {
      NetworkMemory.close(first);
    }
    return second;
  }

  private static INDArray keep(INDArray value, int dim, int[] kept) {
    return kept == null ? value : Slices.keep(value, dim, kept);
  }

  private static INDArray keepChannels(INDArray vector, int[] kept) {
    return kept == null ? vector : Slices.keep(vector, Slices.channelDim(vector), kept);
  }

  private static INDArray zeroOthers(INDArray value, int dim, int[] kept) {
    if (kept == null) {
      return value;
    }
    int size = (int) value.size(dim);
    boolean[] stays = new boolean[size];
    for (int k : kept) {
      stays[k] = true;
    }
    int[] zeroed = java.util.stream.IntStream.range(0, size).filter(k -> !stays[k]).toArray();
    return Slices.zero(value, dim, zeroed);
  }
}
