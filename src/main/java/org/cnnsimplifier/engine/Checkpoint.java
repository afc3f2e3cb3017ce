package org.cnnsimplifier.engine;

import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.report.Figures;
import org.cnnsimplifier.engine.report.Metrics;
import org.cnnsimplifier.engine.report.StepEvent;
import org.cnnsimplifier.engine.report.TargetReport;

/**
 * The state of a run at a layer boundary: enough to resume it with the same plan and data.
 *
 * @param layersDone how many of the plan's layers are finished
 * @param model the model after those layers (retrained)
 * @param steps the steps so far
 * @param remainingKernels for each simplified layer, the original indices of its kernels that are
 *     still there
 * @param original the original model's figures
 * @param originalTest the original model's test metrics, or null
 * @param seconds wall time spent so far
 * @param target a target policy's analysis and chosen ratios, or null for other policies
 */
public record Checkpoint(
    int layersDone,
    CnnModel model,
    List<StepEvent> steps,
    Map<String, List<Integer>> remainingKernels,
    Figures original,
    Metrics originalTest,
    double seconds,
    TargetReport target) {

  public Checkpoint {
    steps = List.copyOf(steps);
    remainingKernels = Map.copyOf(remainingKernels);
  }

  /** A checkpoint of a run without a target policy. */
  public Checkpoint(
      int layersDone,
      CnnModel model,
      List<StepEvent> steps,
      Map<String, List<Integer>> remainingKernels,
      Figures original,
      Metrics originalTest,
      double seconds) {
    this(layersDone, model, steps, remainingKernels, original, originalTest, seconds, null);
  }
}
