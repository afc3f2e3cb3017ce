package org.cnnsimplifier.engine;

import java.util.ArrayList;
import java.util.List;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.plan.Strategy;
import org.cnnsimplifier.engine.report.TrainingBudget;
import org.cnnsimplifier.engine.surgery.ChannelGraph;
import org.cnnsimplifier.engine.surgery.KernelSurgery;

/**
 * Divides a plan's retraining budget among its stages, as {@link Retraining} documents: the
 * fine-tune share first, the rest among the layers evenly or by the parameters or FLOPs each
 * layer's planned elimination removes from the original model (kernels planned × what one kernel
 * costs; all the layer's kernels when the policy decides the count as it goes).
 */
final class BudgetAllocation {
  private BudgetAllocation() {}

  static TrainingBudget of(
      CnnModel original, SimplificationPlan plan, List<String> layers, long batchesPerEpoch) {
    Retraining r = plan.retraining();
    if (r.budget() == null) {
      long perStage = (long) r.epochs() * batchesPerEpoch;
      return new TrainingBudget(
          null,
          batchesPerEpoch,
          Retraining.Split.EVEN.name(),
          List.of(),
          perStage,
          plan.strategy() == Strategy.ONE_SHOT ? perStage : 0);
    }
    long total = r.budget().inBatches(batchesPerEpoch);
    if (plan.strategy() == Strategy.ONE_SHOT) {
      List<Long> none = layers.stream().map(l -> 0L).toList();
      return new TrainingBudget(total, batchesPerEpoch, r.split().name(), none, null, total);
    }
    long fineTune = Math.round(r.fineTuneShare() * total);
    long rest = total - fineTune;
    double[] weights = weights(original, plan, layers);
    double sum = 0;
    for (double w : weights) {
      sum += w;
    }
    List<Long> shares = new ArrayList<>();
    if (!(sum > 0)) {
      for (int i = 0; i < layers.size(); i++) {
        shares.add(TrainingBudget.share(rest, i, layers.size()));
      }
    } else {
      double cumulative = 0;
      long given = 0;
      for (int i = 0; i < layers.size(); i++) {
        cumulative += weights[i];
        long upTo = i == layers.size() - 1 ? rest : Math.round(rest * cumulative / sum);
        shares.add(upTo - given);
        given = upTo;
      }
    }
    return new TrainingBudget(total, batchesPerEpoch, r.split().name(), shares, null, fineTune);
  }

  private static double[] weights(CnnModel original, SimplificationPlan plan, List<String> layers) {
    double[] weights = new double[layers.size()];
    Retraining.Split split = plan.retraining().split();
    if (split == Retraining.Split.EVEN) {
      java.util.Arrays.fill(weights, 1);
      return weights;
    }
    ArchitectureSummary before = ArchitectureSummary.of(original);
    ChannelGraph graph = ChannelGraph.of(original);
    for (int i = 0; i < layers.size(); i++) {
      String layer = layers.get(i);
      int kernels = graph.prunable(layer).channels();
      double planned = planned(plan.policy(), layer, kernels);
      CnnModel oneLess = withoutOneKernel(original, layer, kernels);
      if (oneLess == null) {
        weights[i] = 0;
        continue;
      }
      ArchitectureSummary after = ArchitectureSummary.of(oneLess);
      double perKernel =
          split == Retraining.Split.PARAMS
              ? before.totalParams() - after.totalParams()
              : before.totalFlops() - after.totalFlops();
      weights[i] = Math.max(0, planned * perKernel);
    }
    return weights;
  }

  private static double planned(EliminationPolicy policy, String layer, int kernels) {
    if (policy instanceof EliminationPolicy.Ratio ratio) {
      return Math.round(ratio.ratioFor(layer) * kernels);
    }
    if (policy instanceof EliminationPolicy.Manual manual) {
      return manual.kernelsFor(layer).size();
    }
    return kernels;
  }

  /** The model without one of the group's kernels (the first allowed), or null if none can go. */
  private static CnnModel withoutOneKernel(CnnModel model, String layer, int kernels) {
    for (int k = 0; k < kernels; k++) {
      try {
        return KernelSurgery.remove(model, layer, new int[] {k});
      } catch (InvalidPlanException e) {
        // this kernel may not go alone; try the next
      }
    }
    return null;
  }
}
