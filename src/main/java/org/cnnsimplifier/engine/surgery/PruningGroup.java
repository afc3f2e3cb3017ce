package org.cnnsimplifier.engine.surgery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The unit of elimination: layers whose output channels must be removed together, and the layers
 * whose inputs follow them (the idea of Torch-Pruning's dependency groups).
 *
 * <p>A plain convolution feeding another is a group of one member. Convolutions whose outputs meet
 * in a residual add (directly or through batch norm, activations and identity shortcuts, across
 * chains of blocks) are one group: channel k of each is removed together. A hidden dense layer is a
 * group of units. The group's channels are numbered in the order of its first member's kernels.
 *
 * @param name the group's name: its first member in topological order
 * @param channels how many channels (kernels, units) the group has
 * @param members layers whose kernels or units are removed, in topological order
 * @param followers layers between the members and the consumers whose per-channel parameters are
 *     cut with them (batch normalisation, PReLU, depthwise convolutions), in topological order
 * @param consumers layers whose input channels or rows are removed, in topological order
 * @param prunable whether channels of this group can be removed
 * @param notPrunableReason why not, or null when prunable
 * @param exactMaskNote null when the pruned model provably equals the original with the removed
 *     channels zeroed; otherwise why that comparison does not hold (a channel-mixing layer)
 * @param memberChannels for each member, for each group channel, the member's channels in it
 * @param minChannels the fewest channels the group may keep: 1, or 2 when a separable convolution
 *     reads them (DL4J 1.0.0-M2.1's separable convolution fails on a single input channel)
 */
public record PruningGroup(
    String name,
    int channels,
    List<String> members,
    List<String> followers,
    List<String> consumers,
    boolean prunable,
    String notPrunableReason,
    String exactMaskNote,
    Map<String, int[][]> memberChannels,
    int minChannels) {

  public PruningGroup {
    members = List.copyOf(members);
    followers = List.copyOf(followers);
    consumers = List.copyOf(consumers);
    memberChannels = new LinkedHashMap<>(memberChannels);
  }

  /** Whether the group couples more than one layer's kernels. */
  public boolean isCoupled() {
    return members.size() > 1;
  }

  /** The member's channels in group channel {@code k} (usually one; none or several are legal). */
  public int[] channelsOf(String member, int k) {
    int[][] perChannel = memberChannels.get(member);
    if (perChannel == null) {
      throw new IllegalArgumentException("'" + member + "' is not a member of group " + name);
    }
    return perChannel[k];
  }

  /**
   * Why removing these channels is not allowed — it would leave fewer than {@link #minChannels()},
   * or take every kernel of one member (possible where a member owns only some of the group's
   * channels, as behind a concatenation) — or null when it is.
   */
  public String refusalToRemove(int[] channels) {
    if (channels.length >= this.channels) {
      return "removing all "
          + this.channels
          + " kernels of layer '"
          + name
          + "' would empty it; at least one must stay";
    }
    if (this.channels - channels.length < minChannels) {
      return "removing "
          + channels.length
          + " of the "
          + this.channels
          + " kernels of layer '"
          + name
          + "' leaves fewer than "
          + minChannels
          + ", the fewest a separable convolution reading them accepts";
    }
    boolean[] gone = new boolean[this.channels];
    for (int k : channels) {
      gone[k] = true;
    }
    for (Map.Entry<String, int[][]> member : memberChannels.entrySet()) {
      int left = 0;
      for (int k = 0; k < this.channels; k++) {
        if (!gone[k]) {
          left += member.getValue()[k].length;
        }
      }
      if (left == 0) {
        return "removing these kernels of group '"
            + name
            + "' would take every kernel of its member '"
            + member.getKey()
            + "'; keep at least one of them";
      }
    }
    return null;
  }

  /** Whether the named layer is one of this group's members or followers. */
  public boolean includes(String layer) {
    return members.contains(layer) || followers.contains(layer);
  }
}
