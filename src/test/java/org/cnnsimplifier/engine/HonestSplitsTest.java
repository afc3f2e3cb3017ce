package org.cnnsimplifier.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.cnnsimplifier.engine.criteria.Criterion;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.plan.Strategy;
import org.cnnsimplifier.engine.report.Metrics;
import org.cnnsimplifier.engine.report.SimplificationReport;
import org.cnnsimplifier.engine.report.SimplificationReport.SplitUse;
import org.cnnsimplifier.engine.report.StepEvent;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.retrain.TrainingData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Selection (criteria, ABLATION, maxAccuracyDrop) uses the validation split only; the report's
 * headline comes from the test split, read only before the first step and after the last.
 */
class HonestSplitsTest {
  /** 6 validation and 4 test images per class, 3 classes. */
  private static final SyntheticData DATA = new SyntheticData(TinyNets.INPUT, 10, 6, 4, 5);

  private static final Retraining RETRAINING = new Retraining(1, 10, 1e-2, 0);

  /** Scoring on 16 images; ITERATIVE_FULL removes a layer's kernels in one step. */
  private static SimplificationPlan plan(
      Criterion criterion, Strategy strategy, EliminationPolicy policy) {
    return new SimplificationPlan(List.of(), criterion, strategy, policy, RETRAINING, 17, 16, 1000);
  }

  /**
   * The data, refusing to give the test split while the run is selecting or training: from the
   * first read of another split after the original model's test figures until the last step is
   * reported. Every read is recorded.
   */
  private static final class GuardedData implements TrainingData, ProgressListener {
    final TrainingData data;
    final int expectedSteps;
    final List<String> reads = new ArrayList<>();
    final List<StepEvent> steps = new ArrayList<>();
    boolean started;

    GuardedData(TrainingData data, int expectedSteps) {
      this.data = data;
      this.expectedSteps = expectedSteps;
    }

    @Override
    public DataSetIterator train(int batchSize, long seed) {
      started |= reads.contains("test");
      reads.add("train");
      return data.train(batchSize, seed);
    }

    @Override
    public DataSetIterator validation(int batchSize) {
      started |= reads.contains("test");
      reads.add("validation");
      return data.validation(batchSize);
    }

    @Override
    public Optional<DataSetIterator> test(int batchSize) {
      if (started && steps.size() < expectedSteps) {
        throw new AssertionError(
            "the test split was read during the run, after " + steps.size() + " step(s)");
      }
      reads.add("test");
      return data.test(batchSize);
    }

    @Override
    public void onStep(StepEvent event) {
      steps.add(event);
    }
  }

  private static SimplificationReport run(SimplificationPlan plan, GuardedData data) {
    CnnModel model = TinyNets.sequential(3);
    return new Simplifier().run(model, data, plan, data, Cancellation.NEVER).report();
  }

  private static int layers(SimplificationPlan plan) {
    return Simplifier.layersOf(TinyNets.sequential(3), plan).size();
  }

  /** Test read twice: the original model before any step, the simplified one after the last. */
  private static void assertTestReadOnlyBeforeAndAfter(GuardedData data) {
    assertThat(data.reads.stream().filter("test"::equals).count()).isEqualTo(2);
    int first = data.reads.indexOf("test");
    assertThat(data.reads.subList(0, first)).containsOnly("validation");
    assertThat(data.reads.get(data.reads.size() - 1)).isEqualTo("test");
    assertThat(data.reads.subList(first + 1, data.reads.size() - 1))
        .doesNotContain("test")
        .contains("validation", "train");
  }

  @Test
  void ablationWithMaxAccuracyDropSelectsOnValidationAndQuotesTest() {
    SimplificationPlan plan =
        plan(Criterion.ABLATION, Strategy.PROGRESSIVE, new EliminationPolicy.MaxAccuracyDrop(0.2));
    GuardedData data = new GuardedData(DATA, layers(plan));

    SimplificationReport report = run(plan, data);

    assertTestReadOnlyBeforeAndAfter(data);
    assertThat(report.headline().split()).isEqualTo("test");
    assertThat(report.headline().independentOfSelection()).isTrue();
    assertThat(report.headline().original()).isEqualTo(report.test().original());
    assertThat(report.headline().simplified()).isEqualTo(report.test().simplified());
    assertMeasuredOn(report.test().original(), "test", 12);
    assertMeasuredOn(report.test().simplified(), "test", 12);
    assertMeasuredOn(report.original().validation(), "validation", 18);
    assertMeasuredOn(report.simplified().validation(), "validation", 18);
    assertThat(report.steps()).hasSize(layers(plan));
    for (StepEvent step : report.steps()) {
      assertMeasuredOn(step.afterElimination(), "validation", 18);
      assertMeasuredOn(step.afterRetraining(), "validation", 18);
    }
    assertThat(report.splits())
        .extracting(SplitUse::split, SplitUse::images)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("validation", 18L),
            org.assertj.core.groups.Tuple.tuple("validation", 16L),
            org.assertj.core.groups.Tuple.tuple("validation", 18L),
            org.assertj.core.groups.Tuple.tuple("test", 12L));
    assertThat(report.splits().get(1).use()).contains("ABLATION", "first 16 validation images");
    assertThat(report.splits().get(2).use()).contains("maxAccuracyDrop");
    assertThat(report.splits().get(3).use())
        .contains("headline", "never trained, scored or selected on");
  }

  @Test
  void oneShotAndIterativeSelectOnValidationOnly() {
    for (Strategy strategy : List.of(Strategy.ONE_SHOT, Strategy.ITERATIVE_FULL)) {
      SimplificationPlan plan =
          plan(Criterion.MEAN_ACTIVATION, strategy, new EliminationPolicy.Ratio(0.5));
      // ONE_SHOT: one step per layer, then the fine-tune; ITERATIVE_FULL: one step per layer.
      int steps = layers(plan) + (strategy == Strategy.ONE_SHOT ? 1 : 0);
      GuardedData data = new GuardedData(DATA, steps);

      SimplificationReport report = run(plan, data);

      assertThat(report.steps()).as(strategy.name()).hasSize(steps);
      assertTestReadOnlyBeforeAndAfter(data);
      assertThat(report.headline().split()).isEqualTo("test");
      assertThat(report.splits())
          .extracting(SplitUse::split)
          .containsExactly("validation", "validation", "test");
    }
  }

  @Test
  void withoutATestSplitTheHeadlineIsValidationAndSaysSelectionUsedIt() {
    TrainingData noTest =
        new TrainingData() {
          @Override
          public DataSetIterator train(int batchSize, long seed) {
            return DATA.train(batchSize, seed);
          }

          @Override
          public DataSetIterator validation(int batchSize) {
            return DATA.validation(batchSize);
          }
        };
    SimplificationPlan plan =
        plan(Criterion.L1, Strategy.PROGRESSIVE, new EliminationPolicy.Ratio(0.5));

    SimplificationReport report =
        new Simplifier()
            .run(TinyNets.sequential(3), noTest, plan, ProgressListener.NONE, Cancellation.NEVER)
            .report();

    assertThat(report.test()).isNull();
    assertThat(report.headline().split()).isEqualTo("validation");
    assertThat(report.headline().independentOfSelection()).isFalse();
    assertMeasuredOn(report.headline().simplified(), "validation", 18);
    // L1 reads no images: only the validation figures use a split.
    assertThat(report.splits()).extracting(SplitUse::split).containsExactly("validation");
  }

  @Test
  void aHeldOutTestSplitIsNamedSo() {
    TrainingData heldOut =
        new TrainingData() {
          @Override
          public DataSetIterator train(int batchSize, long seed) {
            return DATA.train(batchSize, seed);
          }

          @Override
          public DataSetIterator validation(int batchSize) {
            return DATA.validation(batchSize);
          }

          @Override
          public Optional<DataSetIterator> test(int batchSize) {
            return DATA.test(batchSize);
          }

          @Override
          public String testSplitName() {
            return "held-out";
          }
        };
    SimplificationPlan plan =
        plan(Criterion.L1, Strategy.PROGRESSIVE, new EliminationPolicy.Ratio(0.5));

    SimplificationReport report =
        new Simplifier()
            .run(TinyNets.sequential(3), heldOut, plan, ProgressListener.NONE, Cancellation.NEVER)
            .report();

    assertThat(report.headline().split()).isEqualTo("held-out");
    assertMeasuredOn(report.test().original(), "held-out", 12);
    assertThat(report.splits().get(report.splits().size() - 1).use())
        .contains("held out of the training images");
  }

  private static void assertMeasuredOn(Metrics metrics, String split, long images) {
    assertThat(metrics).isNotNull();
    assertThat(metrics.split()).isEqualTo(split);
    assertThat(metrics.images()).isEqualTo(images);
  }
}
