package org.cnnsimplifier.engine.report;

import java.util.List;

/**
 * What a run did: the original model's figures, the simplified model's, and every step between.
 *
 * <p>Every accuracy figure is a {@link Metrics} naming its split and image count. Selection (the
 * criterion's scores, {@code maxAccuracyDrop}'s and {@code ABLATION}'s evaluations) and the
 * per-step figures use the validation split; the {@link #headline} comes from the test split — the
 * data set's own, or a slice held out of its training images — which nothing in the run selects or
 * trains on.
 *
 * @param original the original model: size, cost and validation figures
 * @param simplified the simplified model: size, cost and validation figures
 * @param test figures on the test split, original then simplified, when the data has one
 * @param headline the figures to quote: test (or held-out) accuracy before and after, or validation
 *     when the data has no test split (then {@link Headline#independentOfSelection()} is false)
 * @param splits which split, and how many of its images, each kind of figure came from
 * @param speed measured inference latency and throughput of the original and the simplified model
 *     beside their FLOPs; null when not measured (a resumed run that was not given the original)
 * @param budget how the retraining budget was divided
 * @param batchesTrained batches trained in total (the sum of the steps')
 */
public record SimplificationReport(
    Figures original,
    Figures simplified,
    List<StepEvent> steps,
    double seconds,
    Test test,
    Headline headline,
    List<SplitUse> splits,
    SpeedComparison speed,
    TrainingBudget budget,
    long batchesTrained) {

  public SimplificationReport {
    steps = List.copyOf(steps);
    splits = splits == null ? List.of() : List.copyOf(splits);
  }

  /** A report without headline or split accounting. */
  public SimplificationReport(
      Figures original, Figures simplified, List<StepEvent> steps, double seconds, Test test) {
    this(original, simplified, steps, seconds, test, null, List.of(), null, null, 0);
  }

  /** The same report with these speed figures. */
  public SimplificationReport withSpeed(SpeedComparison measured) {
    return new SimplificationReport(
        original,
        simplified,
        steps,
        seconds,
        test,
        headline,
        splits,
        measured,
        budget,
        batchesTrained);
  }

  /** Test-split metrics before and after, or null fields when there is no test split. */
  public record Test(Metrics original, Metrics simplified) {}

  /**
   * The accuracy to quote.
   *
   * @param split the split it was measured on: {@code "test"}, {@code "held-out"}, or {@code
   *     "validation"} when the data has no test split
   * @param independentOfSelection whether no choice of the run (kernels, how many) looked at this
   *     split: true for test and held-out, false for validation
   */
  public record Headline(
      String split, Metrics original, Metrics simplified, boolean independentOfSelection) {}

  /**
   * One use of a split in the run.
   *
   * @param split {@code "validation"}, {@code "test"} or {@code "held-out"}
   * @param images how many of its images were used
   * @param use what they were used for
   */
  public record SplitUse(String split, long images, String use) {}
}
