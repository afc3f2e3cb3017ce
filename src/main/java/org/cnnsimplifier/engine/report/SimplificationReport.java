package org.cnnsimplifier.engine.report;

import java.util.List;

/**
 * What a run did: the original model's figures, the simplified model's, and every step between.
 *
 * @param test figures on the test split, original then simplified, when the data has one
 * @param budget how the retraining budget was divided
 * @param batchesTrained batches trained in total (the sum of the steps')
 */
public record SimplificationReport(
    Figures original,
    Figures simplified,
    List<StepEvent> steps,
    double seconds,
    Test test,
    TrainingBudget budget,
    long batchesTrained) {

  public SimplificationReport {
    steps = List.copyOf(steps);
  }

  /** Test-split metrics before and after, or null fields when there is no test split. */
  public record Test(Metrics original, Metrics simplified) {}
}
