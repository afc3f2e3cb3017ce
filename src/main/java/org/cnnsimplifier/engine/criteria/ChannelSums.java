package org.cnnsimplifier.engine.criteria;

import java.util.List;
import java.util.function.UnaryOperator;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.NetworkMemory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Per-channel means of a function of the post-activation values over images × positions. */
final class ChannelSums {

  private ChannelSums() {}

  /**
   * For each output channel k of the layer, the mean of {@code f(activation)} over channel k of its
   * activation point, over every image of the sample and every position (a dense unit has one
   * position).
   */
  static double[] meanOf(
      CnnModel model, String layerName, List<DataSet> batches, UnaryOperator<INDArray> f) {
    ConvChain chain = ConvChain.of(model, layerName);
    double[] sums = new double[chain.kernels()];
    long count = 0;
    for (DataSet batch : batches) {
      INDArray act = Activations.of(model, chain.activationPoint(), batch.getFeatures());
      int[] others = act.rank() == 4 ? new int[] {0, 2, 3} : new int[] {0};
      INDArray mapped = f.apply(act);
      INDArray doubles = mapped.castTo(DataType.DOUBLE);
      INDArray channelSums = doubles.sum(others);
      double[] batchSums = channelSums.toDoubleVector();
      for (int k = 0; k < sums.length; k++) {
        sums[k] += batchSums[k];
      }
      count += act.length() / act.size(1);
      NetworkMemory.close(channelSums, doubles, mapped, act);
    }
    for (int k = 0; k < sums.length; k++) {
      sums[k] /= count;
    }
    return sums;
  }
}
