package org.cnnsimplifier.engine.model;

import java.util.List;

/**
 * A group of layers whose channels are removed together, as the architecture view shows it.
 *
 * @param name the group's name (its first member); a job's {@code layers} may name it or any member
 * @param channels kernels (or units) the group has; a job removes these, numbered as the first
 *     member numbers its kernels
 * @param members layers whose kernels or units are removed
 * @param followers layers whose per-channel parameters are cut with them (batch normalisation,
 *     depthwise convolutions, PReLU)
 * @param consumers layers whose input channels shrink
 * @param prunable whether the group's channels can be removed
 * @param notPrunableReason why not, or null when prunable
 */
public record GroupSummary(
    String name,
    int channels,
    List<String> members,
    List<String> followers,
    List<String> consumers,
    boolean prunable,
    String notPrunableReason) {

  public GroupSummary {
    members = List.copyOf(members);
    followers = List.copyOf(followers);
    consumers = List.copyOf(consumers);
  }
}
