package org.cnnsimplifier.engine.criteria;

import java.util.List;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.NetworkMemory;
import org.cnnsimplifier.engine.surgery.KernelMask;
import org.cnnsimplifier.engine.surgery.PruningGroup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link Criterion#ABLATION}: how much worse the model gets when channel k of the group alone is
 * zeroed (in every member at once, for a coupled group).
 *
 * <p>The score is the drop in accuracy on the sample, plus a tie-breaker from the rise in
 * cross-entropy loss: {@code accuracyDrop + atan(lossRise) / (π · images)}. The tie-breaker stays
 * below half an image's worth of accuracy, so it only orders kernels whose accuracy drops are equal
 * (common on small samples, where accuracy moves in steps of 1/images), and the score still reads
 * as an accuracy drop. Negative scores mean the model did better without the kernel.
 */
final class Ablation implements RelevanceCriterion {
  /** Probabilities are clamped here so a confident mistake costs a finite loss. */
  private static final double MIN_PROBABILITY = 1e-12;

  @Override
  public double[] scores(CnnModel model, String layerName, ScoringData data) {
    PruningGroup group = GroupScores.group(model, layerName);
    List<DataSet> batches = ScoringBatches.load(data, model, "ABLATION", true);
    try {
      Quality base = evaluate(model, batches);
      double[] scores = new double[group.channels()];
      for (int k = 0; k < scores.length; k++) {
        CnnModel masked = KernelMask.zeroed(model, group.name(), new int[] {k});
        Quality without;
        try {
          without = evaluate(masked, batches);
        } finally {
          masked.close();
        }
        double accuracyDrop = base.accuracy() - without.accuracy();
        double lossRise = without.loss() - base.loss();
        scores[k] = accuracyDrop + Math.atan(lossRise) / (Math.PI * base.images());
      }
      return scores;
    } finally {
      ScoringBatches.close(batches);
    }
  }

  private record Quality(double accuracy, double loss, long images) {}

  private static long[] argMax(INDArray array) {
    INDArray max = array.argMax(1);
    long[] values = max.toLongVector();
    NetworkMemory.close(max);
    return values;
  }

  private static Quality evaluate(CnnModel model, List<DataSet> batches) {
    long correct = 0;
    long images = 0;
    double loss = 0;
    for (DataSet batch : batches) {
      INDArray output = model.output(batch.getFeatures());
      INDArray probabilities = output.castTo(DataType.DOUBLE);
      INDArray labels = batch.getLabels().castTo(DataType.DOUBLE);
      long[] predicted = argMax(probabilities);
      long[] actual = argMax(labels);
      for (int i = 0; i < predicted.length; i++) {
        if (predicted[i] == actual[i]) {
          correct++;
        }
        double p = probabilities.getDouble(i, actual[i]);
        loss -= Math.log(Math.max(p, MIN_PROBABILITY));
      }
      images += predicted.length;
      NetworkMemory.close(probabilities, labels == batch.getLabels() ? null : labels, output);
    }
    return new Quality((double) correct / images, loss / images, images);
  }
}
