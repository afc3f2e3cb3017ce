package org.cnnsimplifier.engine;

import java.util.List;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.report.SimplificationReport;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.retrain.TrainingData;
import org.cnnsimplifier.engine.runtime.NativeRuntime;
import org.cnnsimplifier.engine.runtime.SpeedMeter;

/**
 * Runs the method: kernels are eliminated layer by layer by a relevance criterion and a policy, and
 * the model is retrained as the plan's strategy says (PROGRESSIVE by default: from the next layer
 * back to the first, with later layers frozen).
 *
 * <p>The model given is never modified. The same model, data, plan and seed give the same result,
 * and resuming from a {@link Checkpoint} gives the same result as an uninterrupted run.
 * Cancellation is honoured between batches.
 *
 * <p>A finished run measures the real inference speed of the original and the simplified model
 * ({@link SpeedMeter}: latency at batch 1, throughput at batch 64, interleaved on the calling
 * thread) and puts it in the report beside their FLOPs; a resumed run does so when given the
 * original model ({@link #measureSpeed}).
 */
public final class Simplifier {

  /** Simplifies a copy of {@code model} as the plan says. */
  public SimplificationResult run(
      CnnModel model,
      TrainingData data,
      SimplificationPlan plan,
      ProgressListener listener,
      Cancellation cancel) {
    return run(model, data, plan, listener, cancel, KernelReview.NONE);
  }

  /**
   * Simplifies a copy of {@code model}, letting {@code review} decide which kernels go in each
   * layer (the subjective criterion).
   *
   * @throws ReviewPendingException when the review has not decided on a layer yet; resume from the
   *     last checkpoint once it has
   */
  public SimplificationResult run(
      CnnModel model,
      TrainingData data,
      SimplificationPlan plan,
      ProgressListener listener,
      Cancellation cancel,
      KernelReview review) {
    NativeRuntime.initialize();
    List<String> layers = layersOf(model, plan);
    plan = GroupNames.normalised(model, plan);
    long start = System.nanoTime();
    SimplificationRun run =
        SimplificationRun.start(model.copy(), data, plan, listener, cancel, layers)
            .reviewedBy(review, layers.size());
    return measureSpeed(model, finish(run, layers, 0, start, 0));
  }

  /**
   * The result with the report's speed figures: {@code original}'s and the result's inference
   * latency and throughput, measured now on this thread ({@link SpeedMeter#compare}).
   */
  public static SimplificationResult measureSpeed(CnnModel original, SimplificationResult result) {
    return result.withSpeed(SpeedMeter.compare(original, result.model()));
  }

  /** Goes on from a checkpoint of a run with the same plan and data. */
  public SimplificationResult resume(
      Checkpoint checkpoint,
      TrainingData data,
      SimplificationPlan plan,
      ProgressListener listener,
      Cancellation cancel) {
    return resume(checkpoint, data, plan, listener, cancel, KernelReview.NONE);
  }

  /** Goes on from a checkpoint, with a review deciding which kernels go. */
  public SimplificationResult resume(
      Checkpoint checkpoint,
      TrainingData data,
      SimplificationPlan plan,
      ProgressListener listener,
      Cancellation cancel,
      KernelReview review) {
    NativeRuntime.initialize();
    long start = System.nanoTime();
    List<String> layers = layersOf(checkpoint.model(), plan);
    plan = GroupNames.normalised(checkpoint.model(), plan);
    SimplificationRun run =
        SimplificationRun.resume(checkpoint, data, plan, listener, cancel, layers)
            .reviewedBy(review, layers.size());
    return finish(run, layers, checkpoint.layersDone(), start, checkpoint.seconds());
  }

  private SimplificationResult finish(
      SimplificationRun run, List<String> layers, int from, long start, double earlier) {
    run.timedBy(() -> earlier + seconds(start));
    try {
      switch (run.plan().strategy()) {
        case PROGRESSIVE -> {
          for (int i = from; i < layers.size(); i++) {
            run.listener().onLayerStarted(layers.get(i), i, layers.size());
            run.progressiveLayer(layers.get(i), i);
            run.checkpoint(i + 1, null);
          }
          run.finalFineTune(layers);
        }
        case ITERATIVE_FULL -> {
          for (int i = from; i < layers.size(); i++) {
            run.listener().onLayerStarted(layers.get(i), i, layers.size());
            run.iterativeLayer(layers.get(i), i);
            run.checkpoint(i + 1, null);
          }
          run.finalFineTune(layers);
        }
        case ONE_SHOT -> run.oneShot(layers, from);
      }
      SimplificationReport report = run.report(earlier + seconds(start));
      return new SimplificationResult(run.model(), report);
    } finally {
      run.close();
    }
  }

  /**
   * The groups a plan simplifies, in order, by group name: the plan's list (a member stands for its
   * group), or every prunable group.
   *
   * @throws InvalidPlanException if a named layer does not exist or cannot be simplified
   */
  public static List<String> layersOf(CnnModel model, SimplificationPlan plan) {
    return GroupNames.groupsOf(model, plan);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
