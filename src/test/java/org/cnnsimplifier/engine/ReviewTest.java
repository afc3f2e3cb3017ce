package org.cnnsimplifier.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnnsimplifier.engine.criteria.Criterion;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.report.StepEvent;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.junit.jupiter.api.Test;

/** The subjective criterion's hook: a person decides, or the run pauses at the layer. */
class ReviewTest {
  private static final SyntheticData DATA = new SyntheticData(10, 5, 5);
  private static final SimplificationPlan PLAN =
      SimplificationPlan.progressive(Criterion.L1, new EliminationPolicy.Ratio(0.5), 3)
          .withRetraining(new Retraining(1, 10, 1e-2, 0));

  @Test
  void pausesAtTheFirstUndecidedLayerAndResumesWithThePersonsChoice() {
    Map<String, List<Integer>> decided = new java.util.HashMap<>(Map.of("conv1", List.of(0, 4)));
    KernelReview person =
        request ->
            Optional.ofNullable(decided.get(request.layer()))
                .map(kernels -> new KernelReview.Decision(kernels, "person (alice)"));
    List<Checkpoint> checkpoints = new ArrayList<>();
    ProgressListener listener =
        new ProgressListener() {
          @Override
          public void onCheckpoint(Checkpoint checkpoint) {
            checkpoints.add(checkpoint.copy());
          }
        };

    ReviewPendingException pending =
        org.junit.jupiter.api.Assertions.assertThrows(
            ReviewPendingException.class,
            () ->
                new Simplifier()
                    .run(TinyNets.sequential(3), DATA, PLAN, listener, Cancellation.NEVER, person));
    assertThat(pending.request().layer()).isEqualTo("conv2");
    assertThat(pending.request().layerIndex()).isEqualTo(1);
    assertThat(pending.request().remaining()).containsExactly(0, 1, 2, 3, 4);
    assertThat(pending.request().suggestion()).hasSize(3);
    assertThat(pending.request().scores()).hasSize(5);
    assertThat(pending.request().model().layer("conv1").getParam("W").size(0)).isEqualTo(4);
    assertThat(checkpoints).hasSize(1);

    decided.put("conv2", List.of(1));
    SimplificationResult result =
        new Simplifier()
            .resume(
                checkpoints.get(0), DATA, PLAN, ProgressListener.NONE, Cancellation.NEVER, person);
    List<StepEvent> steps = result.report().steps();
    assertThat(steps)
        .extracting(StepEvent::removedKernels)
        .containsExactly(List.of(0, 4), List.of(1));
    assertThat(steps)
        .extracting(StepEvent::decidedBy)
        .containsExactly("person (alice)", "person (alice)");
  }

  @Test
  void aChoiceOfEveryKernelIsRefused() {
    KernelReview greedy =
        request -> Optional.of(new KernelReview.Decision(request.remaining(), "person"));
    assertThatThrownBy(
            () ->
                new Simplifier()
                    .run(
                        TinyNets.sequential(3),
                        DATA,
                        PLAN,
                        ProgressListener.NONE,
                        Cancellation.NEVER,
                        greedy))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("at least one must stay");
  }
}
