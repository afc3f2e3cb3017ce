package org.cnnsimplifier.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.cnnsimplifier.engine.criteria.Criterion;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.plan.Strategy;
import org.cnnsimplifier.engine.report.SimplificationReport;
import org.cnnsimplifier.engine.report.StepEvent;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.surgery.ChannelGraph;
import org.cnnsimplifier.engine.surgery.KernelSurgery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One budget meaning for every strategy, and checkpoints that carry the training state. */
class RetrainingBudgetTest {
  // 60 training images in batches of 10: 6 batches per epoch.
  private static final SyntheticData DATA = new SyntheticData(20, 10, 5);
  private static final Retraining BUDGET =
      new Retraining(1, 10, 1e-2, 0).withBudget(Retraining.Budget.batches(30));

  private final Simplifier simplifier = new Simplifier();

  private static SimplificationPlan plan(Strategy strategy, Retraining retraining) {
    return SimplificationPlan.progressive(Criterion.L1, new EliminationPolicy.Ratio(0.5), 17)
        .withStrategy(strategy)
        .withIterativeStep(2)
        .withRetraining(retraining);
  }

  private static final class Recorder implements ProgressListener {
    final List<Checkpoint> checkpoints = new ArrayList<>();
    final List<String> training = new ArrayList<>();

    @Override
    public void onCheckpoint(Checkpoint checkpoint) {
      checkpoints.add(checkpoint);
    }

    @Override
    public void onTraining(String layer, long done, long planned, long runDone, long runPlanned) {
      training.add(layer + " " + done + "/" + planned + " " + runDone + "/" + runPlanned);
    }
  }

  private SimplificationReport run(Strategy strategy, Retraining retraining) {
    return simplifier
        .run(
            TinyNets.sequential(3),
            DATA,
            plan(strategy, retraining),
            ProgressListener.NONE,
            Cancellation.NEVER)
        .report();
  }

  private static List<Long> batches(SimplificationReport report) {
    return report.steps().stream().map(StepEvent::batches).toList();
  }

  @Test
  void everyStrategySpendsTheWholeBudgetSplitAsDocumented() {
    SimplificationReport progressive = run(Strategy.PROGRESSIVE, BUDGET);
    assertThat(batches(progressive)).containsExactly(15L, 15L);
    assertThat(progressive.batchesTrained()).isEqualTo(30);
    assertThat(progressive.budget().budgetBatches()).isEqualTo(30);

    // conv1: 3 of 6 kernels in steps of 2, conv2: 3 of 5: two steps each, 15 batches per layer.
    SimplificationReport iterative = run(Strategy.ITERATIVE_FULL, BUDGET);
    assertThat(batches(iterative)).containsExactly(7L, 8L, 7L, 8L);
    assertThat(iterative.batchesTrained()).isEqualTo(30);

    SimplificationReport oneShot = run(Strategy.ONE_SHOT, BUDGET);
    assertThat(batches(oneShot)).containsExactly(0L, 0L, 30L);
    assertThat(oneShot.batchesTrained()).isEqualTo(30);

    // A fifth of the budget for a final fine-tune of the whole model.
    SimplificationReport withFineTune = run(Strategy.PROGRESSIVE, BUDGET.withFineTuneShare(0.2));
    assertThat(withFineTune.steps())
        .extracting(StepEvent::layer)
        .containsExactly("conv1", "conv2", "*");
    assertThat(batches(withFineTune)).containsExactly(12L, 12L, 6L);

    // A budget in epochs: 2.5 epochs of 6 batches.
    SimplificationReport epochs =
        run(Strategy.PROGRESSIVE, BUDGET.withBudget(Retraining.Budget.epochs(2.5)));
    assertThat(batches(epochs)).containsExactly(7L, 8L);
  }

  @Test
  void legacyEpochsMeanEpochsPerStage() {
    Retraining legacy = new Retraining(1, 10, 1e-2, 0);
    assertThat(batches(run(Strategy.PROGRESSIVE, legacy))).containsExactly(6L, 6L);
    assertThat(batches(run(Strategy.ITERATIVE_FULL, legacy))).containsExactly(6L, 6L, 6L, 6L);
    SimplificationReport oneShot = run(Strategy.ONE_SHOT, legacy);
    assertThat(batches(oneShot)).containsExactly(0L, 0L, 6L);
    assertThat(oneShot.budget().budgetBatches()).isNull();
    assertThat(oneShot.budget().batchesPerStage()).isEqualTo(6);
  }

  @Test
  void splitByParamsOrFlopsFollowsWhatEachLayersEliminationRemoves() {
    CnnModel original = TinyNets.sequential(3);
    for (Retraining.Split split : List.of(Retraining.Split.PARAMS, Retraining.Split.FLOPS)) {
      // What removing each layer's planned half (alone) removes from the original model.
      double[] removed = new double[2];
      List<String> layers = List.of("conv1", "conv2");
      for (int i = 0; i < 2; i++) {
        int kernels = ChannelGraph.of(original).prunable(layers.get(i)).channels();
        int[] half = java.util.stream.IntStream.range(0, (int) Math.round(0.5 * kernels)).toArray();
        ArchitectureSummary before = ArchitectureSummary.of(original);
        ArchitectureSummary after =
            ArchitectureSummary.of(KernelSurgery.remove(original, layers.get(i), half));
        removed[i] =
            split == Retraining.Split.PARAMS
                ? before.totalParams() - after.totalParams()
                : before.totalFlops() - after.totalFlops();
      }
      SimplificationReport report = run(Strategy.PROGRESSIVE, BUDGET.withSplit(split));
      long first = Math.round(30 * removed[0] / (removed[0] + removed[1]));
      assertThat(removed[0]).isNotEqualTo(removed[1]);
      assertThat(batches(report)).as(split.name()).containsExactly(first, 30 - first);
      assertThat(report.budget().split()).isEqualTo(split.name());
    }
  }

  @Test
  void oneShotCheckpointsAfterEliminationAndDuringTheFineTuneAndResumesExactly(@TempDir Path dir) {
    Retraining retraining =
        BUDGET
            .withCheckpointEveryBatches(8)
            .withDistillation(new Retraining.Distillation(0.5, 3))
            .withAugmentation(new Retraining.Augmentation(1, true));
    SimplificationPlan plan = plan(Strategy.ONE_SHOT, retraining);
    Recorder recorder = new Recorder();
    SimplificationResult uninterrupted =
        simplifier.run(TinyNets.sequential(3), DATA, plan, recorder, Cancellation.NEVER);

    assertThat(recorder.checkpoints)
        .extracting(c -> c.fineTune() == null ? 0 : c.fineTune().batchesDone())
        .containsExactly(0L, 8L, 16L, 24L);
    assertThat(recorder.checkpoints).allSatisfy(c -> assertThat(c.layersDone()).isEqualTo(2));
    assertThat(recorder.training).contains("* 1/30 1/30", "* 15/30 15/30", "* 30/30 30/30");

    for (int i : new int[] {0, 2}) {
      Path file = dir.resolve("cp" + i + ".zip");
      Checkpoints.write(recorder.checkpoints.get(i), file);
      Checkpoint stored = Checkpoints.read(file);
      assertThat(stored.teacher()).isNotNull();
      SimplificationResult resumed =
          simplifier.resume(stored, DATA, plan, ProgressListener.NONE, Cancellation.NEVER);
      assertThat(resumed.model().network().params())
          .as("resumed from checkpoint %d", i)
          .isEqualTo(uninterrupted.model().network().params());
      assertThat(batches(resumed.report())).containsExactly(0L, 0L, 30L);
    }
  }

  @Test
  void progressiveWithCarriedStateResumesExactlyFromALayerCheckpoint(@TempDir Path dir) {
    Retraining retraining =
        BUDGET
            .withCarryOptimizerState(true)
            .withFineTuneShare(0.2)
            .withSchedule(new Retraining.Schedule(Retraining.Schedule.Shape.COSINE, 2))
            .withCheckpointEveryBatches(4);
    SimplificationPlan plan = plan(Strategy.PROGRESSIVE, retraining);
    Recorder recorder = new Recorder();
    SimplificationResult uninterrupted =
        simplifier.run(TinyNets.sequential(3), DATA, plan, recorder, Cancellation.NEVER);
    SimplificationResult fresh =
        simplifier.run(
            TinyNets.sequential(3),
            DATA,
            plan.withRetraining(retraining.withCarryOptimizerState(false)),
            ProgressListener.NONE,
            Cancellation.NEVER);
    assertThat(uninterrupted.model().network().params())
        .isNotEqualTo(fresh.model().network().params());

    Checkpoint afterFirst = recorder.checkpoints.get(0);
    assertThat(afterFirst.layersDone()).isEqualTo(1);
    assertThat(afterFirst.optimizer()).isNotNull();
    Path file = dir.resolve("cp.zip");
    Checkpoints.write(afterFirst, file);
    SimplificationResult resumed =
        simplifier.resume(
            Checkpoints.read(file), DATA, plan, ProgressListener.NONE, Cancellation.NEVER);
    assertThat(resumed.model().network().params())
        .isEqualTo(uninterrupted.model().network().params());
    assertThat(batches(resumed.report())).containsExactly(12L, 12L, 6L);
  }
}
