package org.cnnsimplifier.engine.report;

import java.util.List;

/**
 * What a run did: the original model's figures, the simplified model's, and every step between.
 *
 * @param test figures on the test split, original then simplified, when the data has one
 */
public record SimplificationReport(
    Figures original, Figures simplified, List<StepEvent> steps, double seconds, Test test) {

  public SimplificationReport {
    steps = List.copyOf(steps);
  }

  /** Test-split metrics before and after, or null fields when there is no test split. */
  public record Test(Metrics original, Metrics simplified) {}
}
