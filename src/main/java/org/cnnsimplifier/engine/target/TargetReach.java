package org.cnnsimplifier.engine.target;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.GroupSummary;
import org.cnnsimplifier.engine.model.LayerSummary;

/**
 * What a target policy can reach at most, estimated from a model's summary alone (no weights): the
 * shares of parameters and FLOPs kept with 90% of the kernels of every simplified group removed. A
 * layer's figures are scaled by the share of its input channels kept and the share of its output
 * channels kept. FLOPs scale so exactly; a bias scales with the output alone, so the parameter
 * share is a slight underestimate: a target below it is certainly out of reach.
 */
public final class TargetReach {
  private TargetReach() {}

  /** Shares kept at most pruning, of the whole model. */
  public record Reach(double params, double flops) {}

  /** The shares kept with every named group at the highest ratio of the grid. */
  public static Reach highest(ArchitectureSummary architecture, List<String> groups) {
    Map<String, Double> in = new HashMap<>();
    Map<String, Double> out = new HashMap<>();
    double ratio = (double) (Sensitivity.LEVELS - 1) / Sensitivity.LEVELS;
    for (String name : groups) {
      GroupSummary group = architecture.group(name).orElse(null);
      if (group == null || group.channels() <= 0) {
        continue;
      }
      int kept = Math.max(1, group.channels() - (int) Math.round(ratio * group.channels()));
      double share = (double) kept / group.channels();
      for (String layer : group.members()) {
        out.put(layer, share);
      }
      for (String layer : group.followers()) {
        out.put(layer, share);
      }
      for (String layer : group.consumers()) {
        // A layer reading several groups (a concatenation) keeps at least the smallest share.
        in.merge(layer, share, Math::min);
      }
    }
    double params = 0;
    double flops = 0;
    for (LayerSummary layer : architecture.layers()) {
      double scale = in.getOrDefault(layer.name(), 1.0) * out.getOrDefault(layer.name(), 1.0);
      params += layer.params() * scale;
      flops += layer.flops() * scale;
    }
    return new Reach(
        architecture.totalParams() == 0 ? 1 : params / architecture.totalParams(),
        architecture.totalFlops() == 0 ? 1 : flops / architecture.totalFlops());
  }
}
