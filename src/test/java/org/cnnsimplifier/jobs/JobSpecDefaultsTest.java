package org.cnnsimplifier.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import org.cnnsimplifier.engine.plan.Strategy;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The defaults a job gets when its request leaves a field out: the strategy the strategy comparison
 * found most accurate at equal budget, and the paper's layer-by-layer strategy when a person
 * chooses in every layer; the cosine schedule it found better than a constant rate.
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
  void aJobWithoutStrategyRunsOneShot() {
    assertThat(read(",\"criterion\":\"L1\"").strategy()).isEqualTo(Strategy.ONE_SHOT);
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
  void aGivenStrategyIsKept() {
    assertThat(read(",\"criterion\":\"SUBJECTIVE\",\"strategy\":\"ONE_SHOT\"").strategy())
        .isEqualTo(Strategy.ONE_SHOT);
    assertThat(read(",\"criterion\":\"L1\",\"strategy\":\"PROGRESSIVE\"").strategy())
        .isEqualTo(Strategy.PROGRESSIVE);
  }
}
