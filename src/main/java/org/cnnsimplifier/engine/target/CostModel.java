package org.cnnsimplifier.engine.target;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.surgery.ChannelGraph;
import org.cnnsimplifier.engine.surgery.PruningGroup;

/**
 * Parameters and FLOPs of the model with any combination of per-group levels.
 *
 * <p>A layer's parameters and FLOPs are a constant plus terms linear in its input channels, in its
 * output channels, and in their product; its input channels are a sum over the groups it reads. So
 * the model's cost is the unpruned cost, plus each group's change when pruned alone (measured by
 * surgery at every level of the grid, {@link Sensitivity}), plus one term {@code γ·x·y} for each
 * pair of groups where a layer making one group's channels reads the other's ({@code x}, {@code y}
 * the channels removed). Each γ is measured by one more surgery on the pair. {@link #exact} checks
 * a combination by surgery.
 */
final class CostModel implements Costs {
  private final CnnModel model;
  private final List<Sensitivity.Curve> curves;
  private final Models.Cost unpruned;
  private final List<Pair> pairs = new ArrayList<>();

  private record Pair(int a, int b, double params, double flops) {}

  CostModel(CnnModel model, List<Sensitivity.Curve> curves) {
    this.model = model;
    this.curves = curves;
    this.unpruned = Models.cost(model);
    ChannelGraph graph = ChannelGraph.of(model);
    for (int a = 0; a < curves.size(); a++) {
      for (int b = a + 1; b < curves.size(); b++) {
        PruningGroup ga = graph.prunable(curves.get(a).group());
        PruningGroup gb = graph.prunable(curves.get(b).group());
        if (reads(ga, gb) || reads(gb, ga)) {
          pairs.add(measure(a, b));
        }
      }
    }
  }

  /** Whether a layer making {@code maker}'s channels reads {@code read}'s. */
  private static boolean reads(PruningGroup maker, PruningGroup read) {
    return read.consumers().stream().anyMatch(maker::includes);
  }

  private Pair measure(int a, int b) {
    int level = Sensitivity.LEVELS / 2;
    Sensitivity.Curve ca = curves.get(a);
    Sensitivity.Curve cb = curves.get(b);
    int la = level;
    int lb = level;
    // The middle of the grid removes something unless a group has too few channels.
    while (la < Sensitivity.LEVELS - 1 && ca.count(la) == 0) {
      la++;
    }
    while (lb < Sensitivity.LEVELS - 1 && cb.count(lb) == 0) {
      lb++;
    }
    double product = (double) ca.count(la) * cb.count(lb);
    if (product == 0) {
      return new Pair(a, b, 0, 0);
    }
    Map<String, int[]> removals = new LinkedHashMap<>();
    removals.put(ca.group(), ca.removed()[la]);
    removals.put(cb.group(), cb.removed()[lb]);
    Models.Cost both = exactCost(removals);
    Models.Cost alone = additive(with(with(new int[curves.size()], a, la), b, lb));
    return new Pair(
        a, b, (both.params() - alone.params()) / product, (both.flops() - alone.flops()) / product);
  }

  private static int[] with(int[] levels, int index, int level) {
    levels[index] = level;
    return levels;
  }

  @Override
  public Models.Cost unpruned() {
    return unpruned;
  }

  /** The predicted cost of the levels (one per curve). */
  @Override
  public Models.Cost predict(int[] levels) {
    Models.Cost sum = additive(levels);
    double params = sum.params();
    double flops = sum.flops();
    for (Pair pair : pairs) {
      double product =
          (double) curves.get(pair.a()).count(levels[pair.a()])
              * curves.get(pair.b()).count(levels[pair.b()]);
      params += pair.params() * product;
      flops += pair.flops() * product;
    }
    return new Models.Cost(Math.round(params), Math.round(flops));
  }

  private Models.Cost additive(int[] levels) {
    long params = unpruned.params();
    long flops = unpruned.flops();
    for (int i = 0; i < levels.length; i++) {
      Models.Cost alone = curves.get(i).cost()[levels[i]];
      params += alone.params() - unpruned.params();
      flops += alone.flops() - unpruned.flops();
    }
    return new Models.Cost(params, flops);
  }

  /** The cost of the levels, by surgery on a copy. */
  @Override
  public Models.Cost exact(int[] levels) {
    return exactCost(removals(levels));
  }

  /** The channels each group loses at the levels, by group. */
  Map<String, int[]> removals(int[] levels) {
    Map<String, int[]> removals = new LinkedHashMap<>();
    for (int i = 0; i < levels.length; i++) {
      removals.put(curves.get(i).group(), curves.get(i).removed()[levels[i]]);
    }
    return removals;
  }

  private Models.Cost exactCost(Map<String, int[]> removals) {
    CnnModel pruned = Models.pruned(model, removals);
    try {
      return Models.cost(pruned);
    } finally {
      Models.close(pruned);
    }
  }
}
