package org.cnnsimplifier.engine.criteria;

import org.cnnsimplifier.engine.model.CnnModel;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reads the weights that make each output channel of a layer. */
final class KernelWeights {

  private KernelWeights() {}

  /**
   * The weights of each output channel as rows, {@code [nOut, weights per channel]}, as a detached
   * copy (ND4J mis-indexes some views of the parameter array when nIn = 1, so criteria never reduce
   * over the view itself): a convolution's kernels, a transposed convolution's output filters, a
   * separable convolution's pointwise kernels, a dense layer's unit columns.
   */
  static INDArray of(CnnModel model, String layerName) {
    ConvChain.requireSource(model, layerName);
    Layer conf = model.layerConf(layerName);
    org.deeplearning4j.nn.api.Layer layer = model.layer(layerName);
    INDArray weights;
    if (conf instanceof SeparableConvolution2D) {
      weights = layer.getParam("pW").dup();
    } else if (conf instanceof Deconvolution2D) {
      weights = layer.getParam("W").dup().permute(1, 0, 2, 3).dup('c');
    } else if (conf instanceof DenseLayer) {
      weights = layer.getParam("W").dup().transpose().dup('c');
    } else {
      weights = layer.getParam("W").dup();
    }
    return weights
        .reshape('c', weights.size(0), weights.length() / weights.size(0))
        .castTo(DataType.DOUBLE);
  }

  static double[] perKernel(INDArray reducedOverKernel) {
    return reducedOverKernel.reshape(reducedOverKernel.length()).toDoubleVector();
  }
}
