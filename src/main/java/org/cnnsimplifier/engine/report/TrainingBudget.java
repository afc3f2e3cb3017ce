package org.cnnsimplifier.engine.report;

import java.util.List;

/**
 * How a run's retraining budget is divided, decided before it starts.
 *
 * @param budgetBatches the total budget in batches, or null for the legacy per-stage epochs
 * @param batchesPerEpoch batches in one epoch of the training split (capped by maxBatchesPerEpoch)
 * @param split EVEN, PARAMS or FLOPS
 * @param layerBatches batches planned for each layer of the plan, in order (an ITERATIVE_FULL
 *     layer's are divided evenly among its steps); with the legacy epochs, every stage's
 * @param batchesPerStage legacy epochs only: batches of every stage (layer or step), else null
 * @param fineTuneBatches batches of the final whole-model fine-tune (ONE_SHOT's only retraining)
 */
public record TrainingBudget(
    Long budgetBatches,
    long batchesPerEpoch,
    String split,
    List<Long> layerBatches,
    Long batchesPerStage,
    long fineTuneBatches) {

  public TrainingBudget {
    layerBatches = layerBatches == null ? List.of() : List.copyOf(layerBatches);
  }

  /** The batches of one stage: step {@code step} of {@code steps} of layer {@code layer}. */
  public long stage(int layer, int step, int steps) {
    if (batchesPerStage != null) {
      return batchesPerStage;
    }
    long total = layer < layerBatches.size() ? layerBatches.get(layer) : 0;
    return share(total, step, steps);
  }

  /** Part {@code index} of {@code parts} of {@code total}, the parts adding up to it exactly. */
  public static long share(long total, int index, int parts) {
    if (parts <= 0) {
      return 0;
    }
    return total * (index + 1) / parts - total * index / parts;
  }
}
