package org.cnnsimplifier.engine.criteria;

import java.util.Map;
import org.cnnsimplifier.engine.InvalidPlanException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.surgery.ChannelGraph;
import org.cnnsimplifier.engine.surgery.PruningGroup;

/** Members' per-channel scores combined into one score per group channel. */
final class GroupScores {
  private GroupScores() {}

  /** The group named, or containing the named layer. */
  static PruningGroup group(CnnModel model, String layerOrGroup) {
    return ChannelGraph.of(model)
        .find(layerOrGroup)
        .orElseThrow(
            () -> {
              ConvChain.requireSource(model, layerOrGroup);
              return new InvalidPlanException(
                  "layer '" + layerOrGroup + "' has no channels that can be scored");
            });
  }

  /**
   * One score per group channel. A single member keeps its own scores; several are each divided by
   * their mean absolute score, and a channel's score is the mean over the members that have it (a
   * member with several channels in one group channel, as after a depthwise multiplier, contributes
   * their mean).
   *
   * @param perMember each member's score per own channel
   */
  static double[] combine(PruningGroup group, Map<String, double[]> perMember) {
    boolean normalise = group.members().size() > 1;
    double[] sums = new double[group.channels()];
    int[] counts = new int[group.channels()];
    for (String member : group.members()) {
      double[] scores = perMember.get(member);
      double scale = normalise ? meanAbs(scores) : 1;
      for (int k = 0; k < group.channels(); k++) {
        int[] channels = group.channelsOf(member, k);
        if (channels.length == 0) {
          continue;
        }
        double value = 0;
        for (int c : channels) {
          value += scores[c];
        }
        sums[k] += value / channels.length / (scale > 0 ? scale : 1);
        counts[k]++;
      }
    }
    for (int k = 0; k < sums.length; k++) {
      sums[k] = counts[k] == 0 ? 0 : sums[k] / counts[k];
    }
    return sums;
  }

  private static double meanAbs(double[] scores) {
    double sum = 0;
    for (double s : scores) {
      sum += Math.abs(s);
    }
    return scores.length == 0 ? 0 : sum / scores.length;
  }
}
