package org.cnnsimplifier.engine;

import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.report.Figures;
import org.cnnsimplifier.engine.report.Metrics;
import org.cnnsimplifier.engine.report.StepEvent;
import org.cnnsimplifier.engine.report.TrainingBudget;
import org.cnnsimplifier.engine.retrain.OptimizerState;
import org.cnnsimplifier.engine.retrain.StageProgress;

/**
 * The state of a run at a layer boundary, or in the middle of its final fine-tune: enough to resume
 * it with the same plan and data.
 *
 * @param layersDone how many of the plan's layers are finished
 * @param model the model after those layers (retrained); in the middle of the fine-tune, the model
 *     the fine-tune started from
 * @param steps the steps so far
 * @param remainingKernels for each simplified layer, the original indices of its kernels that are
 *     still there
 * @param original the original model's figures
 * @param originalTest the original model's test metrics, or null
 * @param seconds wall time spent so far
 * @param budget how the run divides its retraining, or null (decided again on resume)
 * @param optimizer the optimiser state carried from stage to stage, or null
 * @param teacher the model distillation learns from, or null
 * @param fineTune the fine-tune's progress when in the middle of it, or null
 */
public record Checkpoint(
    int layersDone,
    CnnModel model,
    List<StepEvent> steps,
    Map<String, List<Integer>> remainingKernels,
    Figures original,
    Metrics originalTest,
    double seconds,
    TrainingBudget budget,
    OptimizerState optimizer,
    CnnModel teacher,
    StageProgress fineTune) {

  public Checkpoint {
    steps = List.copyOf(steps);
    remainingKernels = Map.copyOf(remainingKernels);
  }

  /** A checkpoint at a layer boundary without training state. */
  public Checkpoint(
      int layersDone,
      CnnModel model,
      List<StepEvent> steps,
      Map<String, List<Integer>> remainingKernels,
      Figures original,
      Metrics originalTest,
      double seconds) {
    this(
        layersDone,
        model,
        steps,
        remainingKernels,
        original,
        originalTest,
        seconds,
        null,
        null,
        null,
        null);
  }
}
