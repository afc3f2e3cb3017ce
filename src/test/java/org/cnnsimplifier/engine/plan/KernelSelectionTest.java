package org.cnnsimplifier.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.InvalidPlanException;
import org.junit.jupiter.api.Test;

class KernelSelectionTest {
  private static final double[] SCORES = {0.9, 0.1, 0.5, 0.3, 0.7, 0.2};

  private static int[] select(EliminationPolicy policy, double[] scores) {
    return KernelSelection.select(policy, "conv", scores.length, scores, k -> 1.0);
  }

  @Test
  void ordersByScoreThenIndex() {
    assertThat(KernelSelection.eliminationOrder(new double[] {0.5, 0.1, 0.5, 0.1}))
        .containsExactly(1, 3, 0, 2);
  }

  @Test
  void ratioRemovesTheLowestScoringFraction() {
    assertThat(select(new EliminationPolicy.Ratio(0.5), SCORES)).containsExactly(1, 3, 5);
    assertThat(select(new EliminationPolicy.Ratio(0.0), SCORES)).isEmpty();
  }

  @Test
  void perLayerRatioOverridesTheGlobalOne() {
    var policy = new EliminationPolicy.Ratio(0.5, Map.of("conv", 0.2));
    assertThat(select(policy, SCORES)).containsExactly(1);
  }

  @Test
  void neverEmptiesALayer() {
    assertThat(select(new EliminationPolicy.Ratio(0.99), SCORES)).hasSize(5);
    assertThat(select(new EliminationPolicy.Threshold(1.0), SCORES)).hasSize(5);
  }

  @Test
  void thresholdComparesScoresNormalisedByTheLargest() {
    // 0.1/0.9, 0.2/0.9, 0.3/0.9 are below 0.4; 0.5/0.9 is not.
    assertThat(select(new EliminationPolicy.Threshold(0.4), SCORES)).containsExactly(1, 3, 5);
  }

  @Test
  void maxAccuracyDropStopsBeforeTheDropExceedsTheBound() {
    // Accuracy falls by 0.01 per removed kernel.
    var policy = new EliminationPolicy.MaxAccuracyDrop(0.025);
    int[] chosen =
        KernelSelection.select(policy, "conv", SCORES.length, SCORES, k -> 0.9 - 0.01 * k.length);
    assertThat(chosen).containsExactly(1, 5);
  }

  @Test
  void manualTakesExactlyTheNamedKernelsAndValidatesThem() {
    var policy = new EliminationPolicy.Manual(Map.of("conv", List.of(4, 2)));
    assertThat(select(policy, SCORES)).containsExactly(2, 4);
    assertThatThrownBy(
            () -> select(new EliminationPolicy.Manual(Map.of("conv", List.of(6))), SCORES))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("out of range");
    assertThatThrownBy(
            () ->
                select(
                    new EliminationPolicy.Manual(Map.of("conv", List.of(0, 1, 2, 3, 4, 5))),
                    SCORES))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("at least one must stay");
  }

  @Test
  void policiesRejectOutOfRangeSettings() {
    assertThatThrownBy(() -> new EliminationPolicy.Ratio(1.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EliminationPolicy.Threshold(-0.1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new EliminationPolicy.MaxAccuracyDrop(2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
