package org.cnnsimplifier.engine.target;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cnnsimplifier.engine.InvalidPlanException;
import org.cnnsimplifier.engine.criteria.ScoringData;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.report.TargetReport;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.retrain.TrainingData;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Turns a {@link EliminationPolicy.Target} into per-group ratios: sensitivity analysis, exact
 * costs, allocation. The model given is not modified.
 */
public final class TargetPlanner {
  private TargetPlanner() {}

  /**
   * The analysis and the chosen ratios for the plan's target over the groups.
   *
   * @param groups the groups the job simplifies (group names), in order
   * @throws InvalidPlanException when the target cannot be met even with 90% of every group's
   *     kernels removed, naming the smallest reachable fraction
   */
  public static TargetReport plan(
      CnnModel model,
      TrainingData data,
      SimplificationPlan plan,
      List<String> groups,
      Cancellation cancel) {
    EliminationPolicy.Target target = (EliminationPolicy.Target) plan.policy();
    long start = System.nanoTime();
    int batch = plan.retraining().batchSize();
    DataSetIterator images =
        ValidationSubset.of(data.validation(batch), target.images(), plan.seed(), batch);
    int imageCount = ValidationSubset.count(images);
    ScoringData scoring = new ScoringData(data.validation(batch), plan.scoringImages());
    List<Sensitivity.Curve> curves =
        Sensitivity.analyse(model, groups, plan.criterion().create(), scoring, images, cancel);
    CostModel costs = new CostModel(model, curves);
    Models.Cost unpruned = costs.unpruned();

    Double flops = target.flops();
    LatencyModel latency = null;
    double flopsForLatency = 1;
    if (target.latencyMs() != null) {
      latency = LatencyModel.calibrate(model, curves, costs, target.batchSize(), cancel);
      flopsForLatency = latency.flopsFraction(target.latencyMs(), unpruned.flops());
      flops = flops == null ? flopsForLatency : Math.min(flops, flopsForLatency);
    }
    Allocation allocation = new Allocation(curves, costs, target.params(), flops);
    Allocation.Result result = flops != null && flops <= 0 ? null : allocation.allocate();
    if (result == null) {
      throw unreachable(target, costs.exact(allocation.highest()), unpruned, latency, groups);
    }

    Map<String, Double> ratios = new LinkedHashMap<>();
    List<TargetReport.Curve> reported = new ArrayList<>();
    for (int g = 0; g < curves.size(); g++) {
      Sensitivity.Curve curve = curves.get(g);
      int level = result.levels()[g];
      double ratio = ratio(level);
      ratios.put(curve.group(), ratio);
      List<TargetReport.Point> points = new ArrayList<>();
      for (int l = 1; l < Sensitivity.LEVELS; l++) {
        points.add(
            new TargetReport.Point(
                ratio(l),
                curve.count(l),
                curve.accuracy()[l],
                curve.cost()[l].params(),
                curve.cost()[l].flops()));
      }
      reported.add(
          new TargetReport.Curve(
              curve.group(), curve.channels(), points, ratio, curve.count(level)));
    }
    TargetReport.Latency latencyReport =
        latency == null
            ? null
            : new TargetReport.Latency(
                latency.batchSize,
                latency.interceptMs,
                latency.msPerMegaflop,
                latency.originalMs,
                flopsForLatency,
                latency.predictMs(result.exact().flops()),
                null);
    return new TargetReport(
        target.params(),
        target.flops(),
        target.latencyMs(),
        target.batchSize(),
        "validation",
        imageCount,
        curves.isEmpty() ? 0 : curves.get(0).accuracy()[0],
        unpruned.params(),
        unpruned.flops(),
        reported,
        ratios,
        result.exact().params(),
        result.exact().flops(),
        result.loss(),
        null,
        null,
        latencyReport,
        (System.nanoTime() - start) / 1e9);
  }

  /** The report with the simplified model's size, cost and (for a latency target) time. */
  public static TargetReport achieved(TargetReport target, CnnModel simplified) {
    ArchitectureSummary summary = ArchitectureSummary.of(simplified);
    TargetReport.Latency latency = target.latency();
    if (latency != null) {
      latency = latency.measured(LatencyModel.time(simplified, latency.batchSize()));
    }
    return target.achieved(summary.totalParams(), summary.totalFlops(), latency);
  }

  /** The policy the strategy runs with: the chosen ratio for each group. */
  public static EliminationPolicy.Ratio ratios(TargetReport target) {
    return new EliminationPolicy.Ratio(0, target.ratios());
  }

  private static double ratio(int level) {
    return (double) level / Sensitivity.LEVELS;
  }

  private static InvalidPlanException unreachable(
      EliminationPolicy.Target target,
      Models.Cost highest,
      Models.Cost unpruned,
      LatencyModel latency,
      List<String> groups) {
    double params = (double) highest.params() / unpruned.params();
    double flops = (double) highest.flops() / unpruned.flops();
    List<String> reasons = new ArrayList<>();
    if (target.params() != null && params > target.params()) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "parameters kept %s, but the smallest reachable is %.4f",
              target.params(),
              params));
    }
    if (target.flops() != null && flops > target.flops()) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "FLOPs kept %s, but the smallest reachable is %.4f",
              target.flops(),
              flops));
    }
    if (latency != null) {
      reasons.add(
          String.format(
              Locale.ROOT,
              "latency %s ms at batch %d, but the fastest reachable on this worker is about %.2f"
                  + " ms (unpruned: %.2f ms)",
              target.latencyMs(),
              target.batchSize(),
              latency.predictMs(highest.flops()),
              latency.originalMs));
    }
    return new InvalidPlanException(
        "the target cannot be met even with 90% of the kernels of every simplified group "
            + groups
            + " removed: "
            + String.join("; ", reasons)
            + ". Ask for a larger share, or simplify more layers (dense layers are pruned when"
            + " the job names them)");
  }
}
