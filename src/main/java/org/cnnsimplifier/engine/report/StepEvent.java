package org.cnnsimplifier.engine.report;

import java.util.List;

/**
 * One step of a simplification: kernels eliminated from one layer, then (usually) retraining.
 *
 * @param layer the simplified layer; for the final fine-tune of ONE_SHOT, {@code "*"}
 * @param step 1-based step number within the run
 * @param kernelsBefore kernels of the layer before this step
 * @param kernelsAfter kernels after
 * @param removedKernels removed kernels, as indices into the original model's layer
 * @param decidedBy what chose them: a criterion and policy (e.g. {@code "L1, ratio 0.5"}) or a
 *     person
 * @param afterElimination validation figures right after elimination, before retraining
 * @param afterRetraining validation figures after retraining, or null when there was none
 * @param seconds wall time of the step (scoring, elimination, retraining, evaluation)
 * @param batches batches the step's retraining trained
 * @param plannedBatches batches its share of the budget planned (more than {@code batches} when
 *     early stopping ended it)
 */
public record StepEvent(
    String layer,
    int step,
    int kernelsBefore,
    int kernelsAfter,
    List<Integer> removedKernels,
    String decidedBy,
    long paramsBefore,
    long paramsAfter,
    long flopsBefore,
    long flopsAfter,
    Metrics afterElimination,
    Metrics afterRetraining,
    double seconds,
    long batches,
    long plannedBatches) {

  public StepEvent {
    removedKernels = List.copyOf(removedKernels);
  }
}
