package org.cnnsimplifier.engine.report;

import java.util.List;

/**
 * What a run did: the original model's figures, the simplified model's, and every step between.
 *
 * @param test figures on the test split, original then simplified, when the data has one
 * @param target how a target policy chose the per-group ratios, or null for other policies
 */
public record SimplificationReport(
    Figures original,
    Figures simplified,
    List<StepEvent> steps,
    double seconds,
    Test test,
    TargetReport target) {

  public SimplificationReport {
    steps = List.copyOf(steps);
  }

  /** A report of a run without a target policy. */
  public SimplificationReport(
      Figures original, Figures simplified, List<StepEvent> steps, double seconds, Test test) {
    this(original, simplified, steps, seconds, test, null);
  }

  /** Test-split metrics before and after, or null fields when there is no test split. */
  public record Test(Metrics original, Metrics simplified) {}
}
