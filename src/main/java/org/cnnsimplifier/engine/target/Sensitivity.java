package org.cnnsimplifier.engine.target;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.criteria.RelevanceCriterion;
import org.cnnsimplifier.engine.criteria.ScoringData;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.KernelSelection;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.retrain.Evaluator;
import org.cnnsimplifier.engine.surgery.ChannelGraph;
import org.cnnsimplifier.engine.surgery.PruningGroup;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Each group pruned alone at the ratios 0.1…0.9 of the grid, by the criterion's order on the
 * unpruned model, and evaluated without retraining. The pruning is real surgery on a copy (so batch
 * normalisation between a convolution and its readers is accounted for exactly), closed after its
 * evaluation.
 */
final class Sensitivity {
  /** The grid's steps: ratio = level / LEVELS. */
  static final int LEVELS = 10;

  private Sensitivity() {}

  /**
   * One group's curve.
   *
   * @param group the group's name
   * @param channels its channels
   * @param order the criterion's elimination order at each level: removed[level] are the channels
   *     that level removes (level 0: none)
   * @param accuracy accuracy at each level (level 0: the unpruned model's)
   * @param cost the model's cost with only this group pruned at each level
   */
  record Curve(String group, int channels, int[][] removed, double[] accuracy, Models.Cost[] cost) {

    int count(int level) {
      return removed[level].length;
    }
  }

  /** The curves of the groups, in order. */
  static List<Curve> analyse(
      CnnModel model,
      List<String> groups,
      RelevanceCriterion criterion,
      ScoringData scoring,
      DataSetIterator images,
      Cancellation cancel) {
    double base = Evaluator.evaluate(model, images, cancel).accuracy();
    Models.Cost unpruned = Models.cost(model);
    ChannelGraph graph = ChannelGraph.of(model);
    List<Curve> curves = new ArrayList<>();
    for (String name : groups) {
      cancel.check();
      PruningGroup group = graph.prunable(name);
      double[] scores = criterion.scores(model, group.name(), scoring);
      int[][] removed = new int[LEVELS][];
      double[] accuracy = new double[LEVELS];
      Models.Cost[] cost = new Models.Cost[LEVELS];
      removed[0] = new int[0];
      accuracy[0] = base;
      cost[0] = unpruned;
      for (int level = 1; level < LEVELS; level++) {
        removed[level] = removedAt(group, scores, (double) level / LEVELS);
        if (removed[level].length == removed[level - 1].length) {
          accuracy[level] = accuracy[level - 1];
          cost[level] = cost[level - 1];
          continue;
        }
        CnnModel pruned = Models.pruned(model, Map.of(group.name(), removed[level]));
        try {
          accuracy[level] = Evaluator.evaluate(pruned, images, cancel).accuracy();
          cost[level] = Models.cost(pruned);
        } finally {
          Models.close(pruned);
        }
      }
      curves.add(new Curve(group.name(), group.channels(), removed, accuracy, cost));
    }
    return curves;
  }

  /** The channels a ratio policy removes from the group, as the run will choose them. */
  static int[] removedAt(PruningGroup group, double[] scores, double ratio) {
    int[] chosen =
        KernelSelection.select(
            new EliminationPolicy.Ratio(0, Map.of(group.name(), ratio)),
            group.name(),
            group.channels(),
            candidate -> group.refusalToRemove(candidate) == null,
            scores,
            masked -> {
              throw new IllegalStateException("a ratio policy does not evaluate");
            });
    return Arrays.copyOf(chosen, chosen.length);
  }
}
