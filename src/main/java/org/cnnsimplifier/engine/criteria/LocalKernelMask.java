package org.cnnsimplifier.engine.criteria;

import org.cnnsimplifier.engine.InvalidPlanException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A copy of a model in which chosen kernels of a convolution output zero, for {@link Ablation}.
 *
 * <p>Zeroes the kernels' weights and biases, and the scale and shift of a batch normalisation right
 * after the conv (whose output would otherwise be {@code beta − gamma·mean/std}, not zero). Stands
 * in until the surgery package offers the same.
 */
final class LocalKernelMask {

  private LocalKernelMask() {}

  static CnnModel zeroed(CnnModel model, String layerName, int[] kernels) {
    ConvChain chain = ConvChain.of(model, layerName);
    for (int k : kernels) {
      if (k < 0 || k >= chain.kernels()) {
        throw new InvalidPlanException(
            "kernel "
                + k
                + " does not exist in layer '"
                + layerName
                + "' ("
                + chain.kernels()
                + " kernels)");
      }
    }
    CnnModel copy = model.copy();
    Layer conv = copy.layer(layerName);
    INDArray w = conv.getParam("W").dup(); // dup: ND4J mis-indexes some views of W
    for (int k : kernels) {
      w.get(NDArrayIndex.point(k), NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all())
          .assign(0);
    }
    conv.setParam("W", w);
    zeroColumns(conv, "b", kernels);
    for (String follower : chain.followers()) {
      if (copy.layerConf(follower) instanceof BatchNormalization bn) {
        if (bn.isLockGammaBeta()) {
          throw new InvalidPlanException(
              "cannot zero kernels of '"
                  + layerName
                  + "': batch normalisation '"
                  + follower
                  + "' has fixed gamma/beta");
        }
        zeroColumns(copy.layer(follower), "gamma", kernels);
        zeroColumns(copy.layer(follower), "beta", kernels);
      }
    }
    return copy;
  }

  private static void zeroColumns(Layer layer, String key, int[] kernels) {
    INDArray param = layer.getParam(key);
    if (param == null) {
      return; // e.g. a conv without bias
    }
    INDArray values = param.dup();
    INDArray flat = values.reshape(values.length());
    for (int k : kernels) {
      flat.putScalar(k, 0);
    }
    layer.setParam(key, flat.reshape(param.shape()));
  }
}
