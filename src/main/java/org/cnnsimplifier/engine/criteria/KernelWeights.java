package org.cnnsimplifier.engine.criteria;

import org.cnnsimplifier.engine.model.CnnModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Reads a convolution's kernels. */
final class KernelWeights {

  private KernelWeights() {}

  /**
   * The conv's weights [nOut, nIn, kH, kW] as a detached copy: ND4J mis-indexes some views of the
   * parameter array (nIn = 1), so criteria never reduce over the view itself.
   */
  static INDArray of(CnnModel model, String layerName) {
    ConvChain.requireConvolution(model, layerName);
    return model.layer(layerName).getParam("W").dup().castTo(DataType.DOUBLE);
  }

  static double[] perKernel(INDArray reducedOverKernel) {
    return reducedOverKernel.reshape(reducedOverKernel.length()).toDoubleVector();
  }
}
