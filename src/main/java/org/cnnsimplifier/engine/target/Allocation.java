package org.cnnsimplifier.engine.target;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Per-group levels of the grid that meet a target with the least predicted accuracy loss.
 *
 * <p>A group's loss at a level is its accuracy drop when pruned alone there, made non-decreasing
 * along the grid (an evaluation on a subset is noisy; more pruning is never predicted to help).
 * Greedy on marginal loss per unit of target saved: from no pruning, each step moves one group to a
 * higher level — any higher level, so a flat stretch followed by a cliff is seen whole — choosing
 * the move with the least added loss per share of the target's excess it removes, until the
 * predicted cost meets the target. Then each group, the most costly first, is moved back down while
 * the target stays met. The prediction is checked by surgery; if surgery disagrees, the difference
 * is carried as a correction and the search goes on.
 */
final class Allocation {
  /** Loss added per step that is taken as zero cost, so free savings are taken largest first. */
  private static final double FREE = 1e-6;

  private final List<Sensitivity.Curve> curves;
  private final Costs costs;
  private final Double params;
  private final Double flops;
  private final double[][] loss;
  private long paramsCorrection;
  private long flopsCorrection;

  /** The chosen levels and their predicted and exact cost. */
  record Result(int[] levels, Models.Cost predicted, Models.Cost exact, double loss) {}

  Allocation(List<Sensitivity.Curve> curves, Costs costs, Double params, Double flops) {
    this.curves = curves;
    this.costs = costs;
    this.params = params;
    this.flops = flops;
    this.loss = new double[curves.size()][];
    for (int g = 0; g < curves.size(); g++) {
      double[] accuracy = curves.get(g).accuracy();
      loss[g] = new double[accuracy.length];
      for (int level = 1; level < accuracy.length; level++) {
        loss[g][level] = Math.max(loss[g][level - 1], accuracy[0] - accuracy[level]);
      }
    }
  }

  /** Every group at the highest level of the grid: the most the target policy can remove. */
  int[] highest() {
    int[] levels = new int[curves.size()];
    Arrays.fill(levels, Sensitivity.LEVELS - 1);
    return levels;
  }

  /** Whether the cost meets the target. */
  boolean meets(Models.Cost cost) {
    return excess(cost) <= 0;
  }

  /** The levels that meet the target, or null when even {@link #highest()} does not. */
  Result allocate() {
    if (!meets(costs.exact(highest()))) {
      return null;
    }
    int[] levels = new int[curves.size()];
    for (int round = 0; round <= curves.size() * Sensitivity.LEVELS; round++) {
      levels = climb(levels);
      levels = trim(levels);
      Models.Cost predicted = predicted(levels);
      Models.Cost exact = costs.exact(levels);
      if (meets(exact)) {
        return new Result(levels, predicted, exact, totalLoss(levels));
      }
      // The prediction was off: carry the difference and search on from here.
      paramsCorrection += exact.params() - predicted.params();
      flopsCorrection += exact.flops() - predicted.flops();
    }
    int[] all = highest();
    return new Result(all, predicted(all), costs.exact(all), totalLoss(all));
  }

  private Models.Cost predicted(int[] levels) {
    Models.Cost raw = costs.predict(levels);
    return new Models.Cost(raw.params() + paramsCorrection, raw.flops() + flopsCorrection);
  }

  private int[] climb(int[] start) {
    int[] levels = start.clone();
    while (!meets(predicted(levels))) {
      double excess = excess(predicted(levels));
      int bestGroup = -1;
      int bestLevel = -1;
      double bestScore = Double.POSITIVE_INFINITY;
      double bestSaving = 0;
      for (int g = 0; g < curves.size(); g++) {
        for (int level = levels[g] + 1; level < Sensitivity.LEVELS; level++) {
          if (curves.get(g).count(level) == curves.get(g).count(levels[g])) {
            continue;
          }
          int[] next = levels.clone();
          next[g] = level;
          double saving = excess - excess(predicted(next));
          if (saving <= 0) {
            continue;
          }
          double score = (loss[g][level] - loss[g][levels[g]] + FREE) / saving;
          if (score < bestScore || (score == bestScore && saving > bestSaving)) {
            bestScore = score;
            bestSaving = saving;
            bestGroup = g;
            bestLevel = level;
          }
        }
      }
      if (bestGroup < 0) {
        return highest();
      }
      levels[bestGroup] = bestLevel;
    }
    return levels;
  }

  /** Moves groups back down while the target stays met, the costliest in loss first. */
  private int[] trim(int[] start) {
    int[] levels = start.clone();
    List<Integer> order =
        IntStream.range(0, curves.size())
            .boxed()
            .sorted(Comparator.comparingDouble((Integer g) -> -loss[g][levels[g]]))
            .toList();
    for (int g : order) {
      while (levels[g] > 0) {
        int[] next = levels.clone();
        next[g]--;
        if (!meets(predicted(next))) {
          break;
        }
        levels[g]--;
      }
    }
    return levels;
  }

  /** The summed loss of the groups at the levels. */
  double totalLoss(int[] levels) {
    double sum = 0;
    for (int g = 0; g < levels.length; g++) {
      sum += loss[g][levels[g]];
    }
    return sum;
  }

  /** How far the cost is above the target, as shares of the unpruned model; 0 when met. */
  private double excess(Models.Cost cost) {
    Models.Cost unpruned = costs.unpruned();
    double over = 0;
    if (params != null) {
      over += Math.max(0, (double) cost.params() / unpruned.params() - params);
    }
    if (flops != null) {
      over += Math.max(0, (double) cost.flops() / unpruned.flops() - flops);
    }
    return over;
  }
}
