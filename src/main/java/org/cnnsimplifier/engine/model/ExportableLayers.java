package org.cnnsimplifier.engine.model;

import java.util.Map;
import java.util.Optional;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** What the ONNX and Keras exporters read from DL4J layers the same way. */
public final class ExportableLayers {
  private ExportableLayers() {}

  /** A batch normalisation's per-channel values, as vectors. */
  public record BatchNormValues(INDArray gamma, INDArray beta, INDArray mean, INDArray variance) {}

  /**
   * The layer's scale, shift, running mean and variance. DL4J may lock gamma and beta to constants
   * and may keep log10 of the standard deviation instead of the variance.
   */
  public static BatchNormValues batchNorm(BatchNormalization bn, Map<String, INDArray> params) {
    long n = bn.getNOut();
    INDArray gamma =
        bn.isLockGammaBeta() ? Nd4j.valueArrayOf(n, bn.getGamma()) : params.get("gamma");
    INDArray beta = bn.isLockGammaBeta() ? Nd4j.valueArrayOf(n, bn.getBeta()) : params.get("beta");
    INDArray variance =
        bn.isUseLogStd()
            ? Transforms.exp(params.get("log10stdev").mul(2 * Math.log(10)))
            : params.get("var");
    return new BatchNormValues(
        gamma.reshape(-1), beta.reshape(-1), params.get("mean").reshape(-1), variance.reshape(-1));
  }

  /**
   * The padding of "same" mode (DL4J's, TensorFlow's, ONNX's SAME_UPPER): {@code [top, left,
   * bottom, right]}, the odd cell at the bottom and right.
   */
  public static int[] samePadding(long[] size, int[] kernel, int[] stride, int[] dilation) {
    int[] pads = new int[4];
    for (int axis = 0; axis < 2; axis++) {
      long out = (size[axis] + stride[axis] - 1) / stride[axis];
      long effective = (long) (kernel[axis] - 1) * dilation[axis] + 1;
      int total = (int) Math.max(0, (out - 1) * stride[axis] + effective - size[axis]);
      pads[axis] = total / 2;
      pads[axis + 2] = total - total / 2;
    }
    return pads;
  }

  /** Why a pooling layer has no counterpart in the other formats, or empty. */
  public static Optional<String> poolingRefusal(SubsamplingLayer pool) {
    PoolingType type = pool.getPoolingType();
    if (type != PoolingType.MAX && type != PoolingType.AVG) {
      return Optional.of(type + " pooling has no counterpart");
    }
    if (pool.getDilation()[0] != 1 || pool.getDilation()[1] != 1) {
      return Optional.of("dilated pooling has no counterpart");
    }
    return Optional.empty();
  }
}
