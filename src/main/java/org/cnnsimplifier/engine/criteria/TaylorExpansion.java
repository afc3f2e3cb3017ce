package org.cnnsimplifier.engine.criteria;

import java.util.List;
import org.cnnsimplifier.engine.InvalidPlanException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link Criterion#TAYLOR} (Molchanov et al. 2017): for each image, |mean over positions of
 * activation × ∂loss/∂activation| of kernel k's post-activation map, averaged over the images, then
 * divided by the L2 norm of the layer's scores. It estimates the loss change if k were removed.
 *
 * <p>Activations are taken in inference mode; gradients come from the network after the activation
 * point ({@link TailNetwork}) and are per image, so batch size does not change the scale.
 */
final class TaylorExpansion implements RelevanceCriterion {

  @Override
  public double[] scores(CnnModel model, String layerName, ScoringData data) {
    ConvChain chain = ConvChain.of(model, layerName);
    if (model.isGraph()) {
      throw new InvalidPlanException(
          "TAYLOR is not yet supported on ComputationGraph models; use L1, L2, APOZ,"
              + " MEAN_ACTIVATION, HRANK or ABLATION for layer '"
              + layerName
              + "'");
    }
    List<DataSet> batches = ScoringBatches.load(data, model, "TAYLOR", true);
    MultiLayerNetwork tail = TailNetwork.after(model, chain.activationPoint());
    double[] sums = new double[chain.kernels()];
    long images = 0;
    for (DataSet batch : batches) {
      INDArray act = Activations.of(model, chain.activationPoint(), batch.getFeatures());
      INDArray input = act.castTo(tail.getLayerWiseConfigurations().getDataType());
      INDArray gradient =
          tail.calculateGradients(input, batch.getLabels(), null, null)
              .getSecond()
              .castTo(DataType.DOUBLE);
      // DL4J's loss gradients are per image (the 1/batch size of the mean loss is applied later,
      // by the updater), so batches of different sizes weigh their images alike.
      long n = act.size(0);
      INDArray perImage = Transforms.abs(act.mul(gradient).mean(2, 3)); // [n, kernels]
      double[] batchSums = perImage.sum(0).toDoubleVector();
      for (int k = 0; k < sums.length; k++) {
        sums[k] += batchSums[k];
      }
      images += n;
    }
    double norm = 0;
    for (int k = 0; k < sums.length; k++) {
      sums[k] /= images;
      norm += sums[k] * sums[k];
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int k = 0; k < sums.length; k++) {
        sums[k] /= norm;
      }
    }
    return sums;
  }
}
