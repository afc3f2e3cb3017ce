package org.cnnsimplifier.engine.report;

import java.util.List;

/**
 * What a run did: the original model's figures, the simplified model's, and every step between.
 *
 * @param test figures on the test split, original then simplified, when the data has one
 * @param speed measured inference latency and throughput of the original and the simplified model
 *     beside their FLOPs; null when not measured (a resumed run that was not given the original)
 */
public record SimplificationReport(
    Figures original,
    Figures simplified,
    List<StepEvent> steps,
    double seconds,
    Test test,
    SpeedComparison speed) {

  public SimplificationReport {
    steps = List.copyOf(steps);
  }

  /** The same report with these speed figures. */
  public SimplificationReport withSpeed(SpeedComparison measured) {
    return new SimplificationReport(original, simplified, steps, seconds, test, measured);
  }

  /** Test-split metrics before and after, or null fields when there is no test split. */
  public record Test(Metrics original, Metrics simplified) {}
}
