package org.cnnsimplifier.engine.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.cnnsimplifier.engine.Checkpoint;
import org.cnnsimplifier.engine.Checkpoints;
import org.cnnsimplifier.engine.InvalidPlanException;
import org.cnnsimplifier.engine.ProgressListener;
import org.cnnsimplifier.engine.SimplificationResult;
import org.cnnsimplifier.engine.Simplifier;
import org.cnnsimplifier.engine.SyntheticData;
import org.cnnsimplifier.engine.TinyNets;
import org.cnnsimplifier.engine.criteria.Criterion;
import org.cnnsimplifier.engine.criteria.ScoringData;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.plan.Strategy;
import org.cnnsimplifier.engine.report.StepEvent;
import org.cnnsimplifier.engine.report.TargetReport;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.retrain.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A target policy on the tiny sequential CNN (conv1 with batch norm, conv2, a hidden dense layer),
 * its convolutions and dense units all simplified, on generated images.
 */
class TargetPlannerTest {
  private static final SyntheticData DATA = new SyntheticData(30, 20, 5);
  private static final List<String> GROUPS = List.of("conv1", "conv2", "dense");
  private static CnnModel trained;
  private static List<Sensitivity.Curve> measured;
  private static CostModel costs;

  @BeforeAll
  static void train() {
    trained = TinyNets.sequential(3);
    Trainer.train(trained, null, DATA, new Retraining(3, 10, 1e-2, 0), 7, Cancellation.NEVER);
    measured = curves();
    costs = new CostModel(trained, measured);
  }

  private static SimplificationPlan plan(EliminationPolicy policy, int epochs) {
    return SimplificationPlan.progressive(Criterion.L1, policy, 17)
        .withLayers(GROUPS)
        .withRetraining(new Retraining(epochs, 10, 1e-2, 2));
  }

  @Test
  void costOfAnyCombinationIsPredictedExactly() {
    List<Sensitivity.Curve> curves = measured;
    Random random = new Random(11);
    for (int i = 0; i < 12; i++) {
      int[] levels = random.ints(GROUPS.size(), 0, Sensitivity.LEVELS).toArray();
      assertThat(costs.predict(levels)).as(Arrays.toString(levels)).isEqualTo(costs.exact(levels));
    }
    // Pruning conv2 also shrinks the dense layer reading it: the curve's cost says so.
    Models.Cost unpruned = costs.unpruned();
    Sensitivity.Curve conv2 = curves.get(1);
    long conv2Weights = 2 * 2 * 6 * 5 + 5;
    assertThat(unpruned.params() - conv2.cost()[Sensitivity.LEVELS - 1].params())
        .isGreaterThan(conv2Weights * conv2.count(Sensitivity.LEVELS - 1) / 5);
  }

  @Test
  void chosenRatiosMeetTheTargetOnTheSimplifiedModel() {
    EliminationPolicy.Target target = new EliminationPolicy.Target(0.5, 0.4, null, 1, 40);
    SimplificationResult result =
        new Simplifier()
            .run(trained, DATA, plan(target, 1), ProgressListener.NONE, Cancellation.NEVER);

    TargetReport report = result.report().target();
    assertThat(report).isNotNull();
    assertThat(report.images()).isEqualTo(40);
    assertThat(report.curves())
        .extracting(TargetReport.Curve::group)
        .containsExactlyElementsOf(GROUPS);
    assertThat(report.curves()).allSatisfy(c -> assertThat(c.points()).hasSize(9));
    ArchitectureSummary original = ArchitectureSummary.of(trained);
    ArchitectureSummary simplified = ArchitectureSummary.of(result.model());
    assertThat(report.originalParams()).isEqualTo(original.totalParams());
    assertThat(report.achievedParams()).isEqualTo(simplified.totalParams());
    assertThat(report.achievedFlops()).isEqualTo(simplified.totalFlops());
    // What was predicted is what the run made, and it meets both shares.
    assertThat(report.predictedParams()).isEqualTo(report.achievedParams());
    assertThat(report.predictedFlops()).isEqualTo(report.achievedFlops());
    assertThat((double) simplified.totalParams() / original.totalParams()).isLessThanOrEqualTo(0.5);
    assertThat((double) simplified.totalFlops() / original.totalFlops()).isLessThanOrEqualTo(0.4);
    // Each step removed what its chosen ratio says.
    for (TargetReport.Curve curve : report.curves()) {
      StepEvent step =
          result.report().steps().stream()
              .filter(s -> s.layer().equals(curve.group()))
              .findFirst()
              .orElseThrow();
      assertThat(step.kernelsBefore() - step.kernelsAfter()).isEqualTo(curve.chosenRemoved());
      assertThat(step.decidedBy()).isEqualTo("L1, target, ratio " + curve.chosenRatio());
      assertThat(report.ratios()).containsEntry(curve.group(), curve.chosenRatio());
    }
  }

  @Test
  void aMoreSensitiveGroupIsPrunedLess() {
    // Two groups of 10 channels, each 40% of the cost, losing accuracy at different rates.
    assertThat(allocate(0.05, 0.005)).containsExactly(1, 9);
    assertThat(allocate(0.005, 0.05)).containsExactly(9, 1);
    assertThat(allocate(0.01, 0.01)[0] + allocate(0.01, 0.01)[1]).isEqualTo(10);
  }

  /** Levels chosen for 60% of the cost with two symmetric groups of the given losses per level. */
  private static int[] allocate(double lossA, double lossB) {
    List<Sensitivity.Curve> curves = new ArrayList<>();
    double[] perLevel = {lossA, lossB};
    for (int g = 0; g < 2; g++) {
      int[][] removed = new int[Sensitivity.LEVELS][];
      double[] accuracy = new double[Sensitivity.LEVELS];
      Models.Cost[] cost = new Models.Cost[Sensitivity.LEVELS];
      for (int level = 0; level < Sensitivity.LEVELS; level++) {
        removed[level] = java.util.stream.IntStream.range(0, level).toArray();
        accuracy[level] = 0.9 - perLevel[g] * level;
        cost[level] = new Models.Cost(1000 - 40L * level, 1000 - 40L * level);
      }
      curves.add(new Sensitivity.Curve("g" + g, 10, removed, accuracy, cost));
    }
    // 200 fixed, 400 per group; removing k channels of a group saves 40·k.
    Costs costs =
        new Costs() {
          @Override
          public Models.Cost unpruned() {
            return new Models.Cost(1000, 1000);
          }

          @Override
          public Models.Cost predict(int[] levels) {
            long c = 1000 - 40L * (levels[0] + levels[1]);
            return new Models.Cost(c, c);
          }

          @Override
          public Models.Cost exact(int[] levels) {
            return predict(levels);
          }
        };
    Allocation.Result result = new Allocation(curves, costs, 0.6, null).allocate();
    assertThat(result.exact().params()).isLessThanOrEqualTo(600);
    return result.levels();
  }

  @Test
  void anUnreachableTargetIsRefusedWithTheSmallestReachableShare() {
    EliminationPolicy.Target target = new EliminationPolicy.Target(0.01, null, null, 1, 30);
    assertThatThrownBy(
            () ->
                new Simplifier()
                    .run(trained, DATA, plan(target, 0), ProgressListener.NONE, Cancellation.NEVER))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("parameters kept 0.01, but the smallest reachable is 0.")
        .hasMessageContaining("[conv1, conv2, dense]");
    // The summary's estimate at creation is no higher than what surgery finds.
    ArchitectureSummary summary = ArchitectureSummary.of(trained);
    int[] highest = new int[GROUPS.size()];
    Arrays.fill(highest, Sensitivity.LEVELS - 1);
    Models.Cost exact = costs.exact(highest);
    TargetReach.Reach reach = TargetReach.highest(summary, GROUPS);
    assertThat(reach.params()).isLessThanOrEqualTo((double) exact.params() / summary.totalParams());
    assertThat(reach.params()).isGreaterThan(0.9 * exact.params() / summary.totalParams());
    assertThat(reach.flops())
        .isCloseTo(
            (double) exact.flops() / summary.totalFlops(),
            org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aResumedTargetJobCarriesOnWithTheSameRatios(@TempDir Path dir) {
    EliminationPolicy.Target target = new EliminationPolicy.Target(null, 0.5, null, 1, 30);
    SimplificationPlan plan = plan(target, 1).withStrategy(Strategy.PROGRESSIVE);
    List<Checkpoint> checkpoints = new ArrayList<>();
    SimplificationResult whole =
        new Simplifier()
            .run(
                trained,
                DATA,
                plan,
                new ProgressListener() {
                  @Override
                  public void onCheckpoint(Checkpoint checkpoint) {
                    checkpoints.add(checkpoint.copy());
                  }
                },
                Cancellation.NEVER);
    Path file = dir.resolve("checkpoint.zip");
    Checkpoints.write(checkpoints.get(0), file);
    Checkpoint read = Checkpoints.read(file);
    assertThat(read.target()).isEqualTo(checkpoints.get(0).target());
    SimplificationResult resumed =
        new Simplifier().resume(read, DATA, plan, ProgressListener.NONE, Cancellation.NEVER);
    assertThat(resumed.report().target().ratios()).isEqualTo(whole.report().target().ratios());
    assertThat(resumed.model().numParams()).isEqualTo(whole.model().numParams());
    assertThat(resumed.report().target().achievedFlops())
        .isEqualTo(whole.report().target().achievedFlops());
  }

  private static List<Sensitivity.Curve> curves() {
    return Sensitivity.analyse(
        trained,
        GROUPS,
        Criterion.L1.create(),
        ScoringData.none(),
        ValidationSubset.of(DATA.validation(10), 30, 17, 10),
        Cancellation.NEVER);
  }
}
