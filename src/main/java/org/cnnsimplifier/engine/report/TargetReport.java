package org.cnnsimplifier.engine.report;

import java.util.List;
import java.util.Map;

/**
 * How a target policy chose its per-group ratios: the target, the sensitivity curves, the ratios
 * chosen, and the size and cost predicted for them and achieved by the run.
 *
 * @param params fraction of the parameters to keep, or null
 * @param flops fraction of the FLOPs to keep, or null
 * @param latencyMs forward-pass time to reach on the worker, or null
 * @param batchSize the batch the latency is for
 * @param split the split the sensitivity analysis evaluated on ("validation")
 * @param images how many images of it (a subset drawn with the job's seed)
 * @param accuracy the unpruned model's accuracy on those images
 * @param originalParams the unpruned model's parameters
 * @param originalFlops the unpruned model's FLOPs per image
 * @param curves one per group the job simplifies, in the job's order
 * @param ratios the chosen share of each group's kernels to remove, by group
 * @param predictedParams parameters of the model with those ratios applied (computed exactly on the
 *     architecture)
 * @param predictedFlops FLOPs per image likewise
 * @param predictedAccuracyLoss the sum of the groups' accuracy losses at their chosen ratios (the
 *     allocation's objective; losses do not add exactly)
 * @param achievedParams the simplified model's parameters, or null until the run ends
 * @param achievedFlops the simplified model's FLOPs per image, or null until the run ends
 * @param latency how the latency target was turned into a FLOPs target, or null
 * @param seconds wall time of the analysis and the allocation
 */
public record TargetReport(
    Double params,
    Double flops,
    Double latencyMs,
    int batchSize,
    String split,
    int images,
    double accuracy,
    long originalParams,
    long originalFlops,
    List<Curve> curves,
    Map<String, Double> ratios,
    long predictedParams,
    long predictedFlops,
    double predictedAccuracyLoss,
    Long achievedParams,
    Long achievedFlops,
    Latency latency,
    double seconds) {

  public TargetReport {
    curves = List.copyOf(curves);
    ratios = Map.copyOf(ratios);
  }

  /** The same report with what the run achieved. */
  public TargetReport achieved(long newParams, long newFlops, Latency newLatency) {
    return new TargetReport(
        params,
        flops,
        latencyMs,
        batchSize,
        split,
        images,
        accuracy,
        originalParams,
        originalFlops,
        curves,
        ratios,
        predictedParams,
        predictedFlops,
        predictedAccuracyLoss,
        newParams,
        newFlops,
        newLatency,
        seconds);
  }

  /**
   * One group's sensitivity: accuracy without retraining with only this group pruned.
   *
   * @param group the group's name
   * @param channels its kernels (or units) before pruning
   * @param points one per ratio of the grid 0.1…0.9
   * @param chosenRatio the ratio the allocation chose (0: the group keeps every kernel)
   * @param chosenRemoved the kernels that ratio removes
   */
  public record Curve(
      String group, int channels, List<Point> points, double chosenRatio, int chosenRemoved) {
    public Curve {
      points = List.copyOf(points);
    }
  }

  /**
   * @param ratio the share of the group's kernels removed, as asked
   * @param removed the kernels actually removed (rounded; never all)
   * @param accuracy accuracy on the analysis images without retraining
   * @param params the model's parameters with only this group pruned so
   * @param flops the model's FLOPs per image likewise
   */
  public record Point(double ratio, int removed, double accuracy, long params, long flops) {}

  /**
   * A latency target as a FLOPs target: forward passes timed on the worker for the unpruned model
   * and uniformly pruned variants, fitted as {@code ms = interceptMs + msPerMegaflop × MFLOPs}; the
   * allocation then meets the FLOPs the fit predicts for the target.
   *
   * @param batchSize images per timed forward pass
   * @param interceptMs the fit's fixed time
   * @param msPerMegaflop the fit's time per million FLOPs of one image
   * @param originalMs the unpruned model's measured time
   * @param flopsTarget the FLOPs fraction the latency target became
   * @param predictedMs the fit's time for the chosen ratios
   * @param measuredMs the simplified model's measured time, or null until the run ends
   */
  public record Latency(
      int batchSize,
      double interceptMs,
      double msPerMegaflop,
      double originalMs,
      double flopsTarget,
      double predictedMs,
      Double measuredMs) {

    public Latency measured(double ms) {
      return new Latency(
          batchSize, interceptMs, msPerMegaflop, originalMs, flopsTarget, predictedMs, ms);
    }
  }
}
