package org.cnnsimplifier.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.surgery.ChannelGraph;
import org.cnnsimplifier.engine.surgery.PruningGroup;

/**
 * A plan speaks of layers; the engine removes kernels by group. A plan may name a group or any of
 * its members, in its layer list and in per-layer policy settings; this resolves every name to its
 * group's name.
 */
final class GroupNames {
  private GroupNames() {}

  /**
   * The groups a plan simplifies, in order: the plan's list resolved to group names, or every
   * prunable group of convolution kernels, first to last (dense units only when named).
   *
   * @throws InvalidPlanException if a named layer does not exist, cannot be pruned, or names a
   *     group already listed
   * @throws InvalidModelException if the model has nothing to prune
   */
  static List<String> groupsOf(CnnModel model, SimplificationPlan plan) {
    ChannelGraph graph = ChannelGraph.of(model);
    if (plan.layers().isEmpty()) {
      List<String> all =
          graph.prunableGroups().stream()
              .filter(g -> g.members().stream().anyMatch(m -> isConvolution(model, m)))
              .map(PruningGroup::name)
              .toList();
      if (all.isEmpty()) {
        throw new InvalidModelException(
            "the model has no convolution layer that can be simplified");
      }
      return all;
    }
    Map<String, String> named = new LinkedHashMap<>();
    for (String name : plan.layers()) {
      String group = graph.prunable(name).name();
      String earlier = named.putIfAbsent(group, name);
      if (earlier != null) {
        throw new InvalidPlanException(
            earlier.equals(name)
                ? "layer '" + name + "' is listed twice"
                : "layers '"
                    + earlier
                    + "' and '"
                    + name
                    + "' are in the same group '"
                    + group
                    + "', whose kernels are removed together; list one of them");
      }
    }
    return new ArrayList<>(named.keySet());
  }

  private static boolean isConvolution(CnnModel model, String layer) {
    return model.layerConf(layer) instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
  }

  /** The plan with per-layer policy settings keyed by group name. */
  static SimplificationPlan normalised(CnnModel model, SimplificationPlan plan) {
    ChannelGraph graph = ChannelGraph.of(model);
    EliminationPolicy policy = plan.policy();
    if (policy instanceof EliminationPolicy.Ratio ratio && !ratio.perLayer().isEmpty()) {
      policy = new EliminationPolicy.Ratio(ratio.ratio(), byGroup(graph, ratio.perLayer()));
    } else if (policy instanceof EliminationPolicy.Manual manual) {
      policy = new EliminationPolicy.Manual(byGroup(graph, manual.kernels()));
    }
    return plan.withPolicy(policy);
  }

  private static <V> Map<String, V> byGroup(ChannelGraph graph, Map<String, V> byLayer) {
    Map<String, V> result = new LinkedHashMap<>();
    Map<String, String> from = new LinkedHashMap<>();
    byLayer.forEach(
        (layer, value) -> {
          String group = graph.find(layer).map(PruningGroup::name).orElse(layer);
          if (result.containsKey(group)) {
            throw new InvalidPlanException(
                "the policy sets layers '"
                    + from.get(group)
                    + "' and '"
                    + layer
                    + "' of the same group '"
                    + group
                    + "'; set one of them");
          }
          result.put(group, value);
          from.put(group, layer);
        });
    return result;
  }
}
