package org.cnnsimplifier.engine.criteria;

import java.util.List;
import java.util.function.UnaryOperator;
import org.cnnsimplifier.engine.model.CnnModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** Per-kernel means of a function of the post-activation values over images × positions. */
final class ChannelSums {

  private ChannelSums() {}

  /**
   * For each kernel k, the mean of {@code f(activation)} over channel k of the activation point,
   * over every image of the sample and every position.
   */
  static double[] meanOf(
      CnnModel model,
      String layerName,
      ScoringData data,
      String criterion,
      UnaryOperator<INDArray> f) {
    ConvChain chain = ConvChain.of(model, layerName);
    List<DataSet> batches = ScoringBatches.load(data, model, criterion, false);
    double[] sums = new double[chain.kernels()];
    long count = 0;
    for (DataSet batch : batches) {
      INDArray act = Activations.of(model, chain.activationPoint(), batch.getFeatures());
      double[] batchSums = f.apply(act).castTo(DataType.DOUBLE).sum(0, 2, 3).toDoubleVector();
      for (int k = 0; k < sums.length; k++) {
        sums[k] += batchSums[k];
      }
      count += act.size(0) * act.size(2) * act.size(3);
    }
    for (int k = 0; k < sums.length; k++) {
      sums[k] /= count;
    }
    return sums;
  }
}
