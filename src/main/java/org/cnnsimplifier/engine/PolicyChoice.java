package org.cnnsimplifier.engine;

import java.util.Arrays;
import org.cnnsimplifier.engine.criteria.ScoringData;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.KernelSelection;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.retrain.Evaluator;
import org.cnnsimplifier.engine.retrain.TrainingData;
import org.cnnsimplifier.engine.surgery.ChannelGraph;
import org.cnnsimplifier.engine.surgery.KernelMask;
import org.cnnsimplifier.engine.surgery.PruningGroup;

/** The plan's criterion and policy applied to one layer: scores, then the kernels to remove. */
final class PolicyChoice {
  private final SimplificationPlan plan;
  private final TrainingData data;
  private final Cancellation cancel;
  private final KernelLedger ledger;

  PolicyChoice(
      SimplificationPlan plan, TrainingData data, Cancellation cancel, KernelLedger ledger) {
    this.plan = plan;
    this.data = data;
    this.cancel = cancel;
    this.ledger = ledger;
  }

  /** Scores and the chosen kernels (current indices) of a layer. */
  record Choice(double[] scores, int[] kernels) {}

  Choice choose(String layer, CnnModel on, long seed) {
    double[] scores =
        plan.policy() instanceof EliminationPolicy.Manual ? null : scores(on, layer, seed);
    PruningGroup group = ChannelGraph.of(on).prunable(layer);
    int[] chosen =
        KernelSelection.select(
            plan.policy(),
            layer,
            group.channels(),
            candidate -> group.refusalToRemove(candidate) == null,
            scores,
            masked -> {
              CnnModel candidate = masked.length == 0 ? on : KernelMask.zeroed(on, layer, masked);
              try {
                return Evaluator.evaluate(
                        candidate, data.validation(plan.retraining().batchSize()), cancel)
                    .accuracy();
              } finally {
                if (candidate != on) {
                  candidate.close();
                }
              }
            });
    if (plan.policy() instanceof EliminationPolicy.Manual) {
      // Manual choices name original kernels; map them to the layer's current indices.
      chosen = ledger.currentIndices(layer, on, Arrays.stream(chosen).boxed().toList());
    }
    return new Choice(scores, chosen);
  }

  /** The criterion's score of each kernel (higher = more relevant). */
  double[] scores(CnnModel on, String layer, long seed) {
    cancel.check();
    ScoringData sample =
        new ScoringData(data.validation(plan.retraining().batchSize()), plan.scoringImages());
    return plan.criterion().create().scores(on, layer, sample);
  }
}
