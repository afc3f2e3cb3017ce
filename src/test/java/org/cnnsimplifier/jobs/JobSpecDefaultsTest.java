package org.cnnsimplifier.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.plan.Strategy;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The defaults a job gets when its request leaves a field out: the strategy the strategy comparison
 * found most accurate at equal budget with the default retraining, the paper's layer-by-layer one
 * (also for a person choosing in every layer); the retraining settings it chose (a total budget,
 * cosine schedule, a final fine-tune, carried optimiser state, distillation), the engine's {@link
 * Retraining#recommended()}.
 */
class JobSpecDefaultsTest {
  private static final String IDS =
      "\"modelId\":\"7b0c7a1e-2c2b-4a55-9d52-0b0e6f7d9a10\","
          + "\"datasetId\":\"0f6c2a64-3b0c-4f3e-9a53-6c7e2b7d1c22\","
          + "\"policy\":{\"type\":\"ratio\",\"ratio\":0.5}";

  private static JobSpec read(String fields) {
    return JsonMapper.builder().build().readValue("{" + IDS + fields + "}", JobSpec.class);
  }

  @Test
  void aJobWithoutStrategyRunsProgressive() {
    assertThat(read(",\"criterion\":\"L1\"").strategy()).isEqualTo(Strategy.PROGRESSIVE);
  }

  @Test
  void aReviewedJobWithoutStrategyRunsProgressive() {
    assertThat(read(",\"criterion\":\"SUBJECTIVE\"").strategy()).isEqualTo(Strategy.PROGRESSIVE);
    assertThat(read(",\"criterion\":\"L1\",\"review\":true").strategy())
        .isEqualTo(Strategy.PROGRESSIVE);
  }

  @Test
  void retrainingDecaysTheRateByCosineUnlessToldOtherwise() {
    assertThat(read(",\"criterion\":\"L1\"").retraining().schedule()).isEqualTo("COSINE");
    assertThat(read(",\"criterion\":\"L1\",\"retraining\":{\"epochs\":1}").retraining().schedule())
        .isEqualTo("COSINE");
    assertThat(
            read(",\"criterion\":\"L1\",\"retraining\":{\"schedule\":\"CONSTANT\"}")
                .retraining()
                .schedule())
        .isEqualTo("CONSTANT");
  }

  @Test
  void aJobThatNamesNoRetrainingGetsTheRecommendedSettings() {
    JobSpec spec = read(",\"criterion\":\"L1\"");
    assertThat(spec.retraining().budget()).isEqualTo(new JobSpec.BudgetSpec(2.0, null));
    assertThat(JobPlans.toPlan(spec).retraining()).isEqualTo(Retraining.recommended());
    // Fields left out of a partial request get the same.
    Retraining partial =
        JobPlans.toPlan(read(",\"criterion\":\"L1\",\"retraining\":{\"learningRate\":3e-4}"))
            .retraining();
    assertThat(partial).isEqualTo(Retraining.recommended().withLearningRate(3e-4));
  }

  @Test
  void theDeprecatedEpochsKeepAnEvenSplitAndNoFinalFineTune() {
    JobSpec spec = read(",\"criterion\":\"L1\",\"retraining\":{\"epochs\":2}");
    Retraining r = JobPlans.toPlan(spec).retraining();
    assertThat(r.budget()).isNull();
    assertThat(r.epochs()).isEqualTo(2);
    assertThat(r.split()).isEqualTo(Retraining.Split.EVEN);
    assertThat(r.fineTuneShare()).isZero();
    assertThat(r.carryOptimizerState()).isTrue();
    assertThat(r.distillation()).isEqualTo(new Retraining.Distillation(0.5, 4));
  }

  @Test
  void eachRecommendedSettingCanBeChanged() {
    Retraining r =
        JobPlans.toPlan(
                read(
                    ",\"criterion\":\"L1\",\"retraining\":{\"schedule\":\"CONSTANT\","
                        + "\"split\":\"FLOPS\",\"fineTuneShare\":0,"
                        + "\"carryOptimizerState\":false,\"distillation\":{\"alpha\":0}}"))
            .retraining();
    assertThat(r.schedule()).isEqualTo(Retraining.Schedule.constant());
    assertThat(r.split()).isEqualTo(Retraining.Split.FLOPS);
    assertThat(r.fineTuneShare()).isZero();
    assertThat(r.carryOptimizerState()).isFalse();
    assertThat(r.distillation()).as("alpha 0 keeps no teacher").isNull();
    assertThat(r.budget()).isEqualTo(Retraining.Budget.epochs(2));
  }

  @Test
  void aGivenStrategyIsKept() {
    assertThat(read(",\"criterion\":\"SUBJECTIVE\",\"strategy\":\"ONE_SHOT\"").strategy())
        .isEqualTo(Strategy.ONE_SHOT);
    assertThat(read(",\"criterion\":\"L1\",\"strategy\":\"ITERATIVE_FULL\"").strategy())
        .isEqualTo(Strategy.ITERATIVE_FULL);
  }
}
