package org.cnnsimplifier.engine.surgery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.cnnsimplifier.engine.InvalidPlanException;
import org.cnnsimplifier.engine.model.CnnModel;

/**
 * The channel dependency graph of a model: which output channels of which layers must be removed
 * together ({@link PruningGroup}s), and, for a removal, which channels every layer keeps.
 *
 * <p>Built once from the model's configuration by a forward walk: every layer that makes channels
 * (convolution, transposed or separable convolution, dense layer) creates atoms, one per channel;
 * per-channel layers (batch norm, activations, pooling, padding, dropout, PReLU, scale) pass them
 * on; a concatenation joins them; a depthwise convolution repeats each one per multiplier; a
 * flatten repeats each one per position; an element-wise vertex (add, product, average, max, …)
 * makes the atoms at the same position of its inputs one channel. A group is a set of layers tied
 * by such channels. Atoms that reach the network output, the network input, or a node whose
 * channels cannot be followed (a subset, a reshape, …) are pinned: their group is not prunable, and
 * the reason says which node is at fault.
 */
public final class ChannelGraph {
  private final ChannelWalk walk;
  private final List<PruningGroup> groups = new ArrayList<>();
  private final Map<String, PruningGroup> byName = new LinkedHashMap<>();
  private final Map<String, PruningGroup> byLayer = new HashMap<>();

  /** For each group, the union-find root of each of its channels, in channel order. */
  private final Map<String, int[]> channelRoots = new HashMap<>();

  private ChannelGraph(ChannelWalk walk) {
    this.walk = walk;
    build();
  }

  /** A 2D convolution in the plain sense: not depthwise, separable, transposed or 1D/3D. */
  public static boolean isPlainConvolution(org.deeplearning4j.nn.conf.layers.Layer layer) {
    return layer != null && LayerKind.of(layer) == LayerKind.CONVOLUTION;
  }

  /** The dependency graph of the model's configuration. */
  public static ChannelGraph of(CnnModel model) {
    return new ChannelGraph(ChannelWalk.of(NetworkGraph.of(model)));
  }

  /** Every group, in the topological order of its first member. */
  public List<PruningGroup> groups() {
    return groups;
  }

  /** The groups whose channels can be removed. */
  public List<PruningGroup> prunableGroups() {
    return groups.stream().filter(PruningGroup::prunable).toList();
  }

  /** The group a layer belongs to (as member or follower), or that a group name names. */
  public Optional<PruningGroup> find(String layerOrGroup) {
    PruningGroup group = byName.get(layerOrGroup);
    return Optional.ofNullable(group != null ? group : byLayer.get(layerOrGroup));
  }

  /**
   * The prunable group named, or containing the named layer.
   *
   * @throws InvalidPlanException naming the reason when there is no such layer or group, or it
   *     cannot be pruned
   */
  public PruningGroup prunable(String layerOrGroup) {
    PruningGroup group =
        find(layerOrGroup)
            .orElseThrow(
                () ->
                    new InvalidPlanException(
                        walk.net.position(layerOrGroup) < 0
                            ? "no layer named '" + layerOrGroup + "'; layers: " + walk.net.order()
                            : "layer '"
                                + layerOrGroup
                                + "' ("
                                + walk.net.kind(layerOrGroup)
                                + ") has no kernels or units to remove; prunable: "
                                + prunableGroups().stream().map(PruningGroup::name).toList()));
    if (!group.prunable()) {
      throw new InvalidPlanException(
          (group.name().equals(layerOrGroup)
                  ? "layer '" + layerOrGroup + "'"
                  : "layer '" + layerOrGroup + "' (group '" + group.name() + "')")
              + " cannot be pruned: "
              + group.notPrunableReason());
    }
    return group;
  }

  /** Position of a node in topological order (layers and vertices), -1 if unknown. */
  public int position(String node) {
    return walk.net.position(node);
  }

  /** The last consumer of a group in topological order: where progressive retraining stops. */
  public String lastConsumer(PruningGroup group) {
    return group.consumers().get(group.consumers().size() - 1);
  }

  /**
   * What every layer keeps when the given channels of a group go: the kept positions of its input
   * (after its preprocessor), of its raw input (before), and of its output, for each node that
   * loses any.
   */
  Removal removal(PruningGroup group, int[] channels) {
    int[] roots = channelRoots.get(group.name());
    Set<Integer> gone = new HashSet<>();
    for (int k : channels) {
      gone.add(roots[k]);
    }
    Removal removal = new Removal(new HashMap<>(), new HashMap<>(), new HashMap<>());
    for (String node : walk.net.order()) {
      keep(walk.in.get(node), gone).ifPresent(keep -> removal.in().put(node, keep));
      keep(walk.rawIn.get(node), gone).ifPresent(keep -> removal.rawIn().put(node, keep));
      keep(walk.out.get(node), gone).ifPresent(keep -> removal.out().put(node, keep));
    }
    return removal;
  }

  /** Kept positions per node; a node absent from a map keeps everything there. */
  record Removal(Map<String, int[]> in, Map<String, int[]> rawIn, Map<String, int[]> out) {

    /** Removed positions of a node's input (complement of the kept ones), or empty. */
    boolean touches(String node) {
      return in.containsKey(node) || out.containsKey(node) || rawIn.containsKey(node);
    }
  }

  private Optional<int[]> keep(Layout layout, Set<Integer> gone) {
    if (layout == null) {
      return Optional.empty();
    }
    int[] kept = new int[layout.size()];
    int count = 0;
    for (int p = 0; p < layout.size(); p++) {
      if (!gone.contains(walk.find(layout.atoms()[p]))) {
        kept[count++] = p;
      }
    }
    return count == layout.size()
        ? Optional.empty()
        : Optional.of(java.util.Arrays.copyOf(kept, count));
  }

  private void build() {
    // Channels: atoms tied together, keyed by root (the smallest atom id, hence the earliest).
    Map<Integer, List<Integer>> channels = new TreeMap<>();
    for (int atom = 0; atom < walk.atoms(); atom++) {
      channels.computeIfAbsent(walk.find(atom), k -> new ArrayList<>()).add(atom);
    }
    // Groups: sources tied by a shared channel.
    Map<String, String> sourceParent = new HashMap<>();
    for (List<Integer> atoms : channels.values()) {
      String first = walk.atomSource.get(atoms.get(0));
      for (int atom : atoms) {
        unionSources(sourceParent, first, walk.atomSource.get(atom));
      }
    }
    Map<String, List<Integer>> rootsByGroup = new LinkedHashMap<>();
    for (Map.Entry<Integer, List<Integer>> channel : channels.entrySet()) {
      String component = findSource(sourceParent, walk.atomSource.get(channel.getValue().get(0)));
      rootsByGroup.computeIfAbsent(component, k -> new ArrayList<>()).add(channel.getKey());
    }
    List<PruningGroup> found = new ArrayList<>();
    for (List<Integer> roots : rootsByGroup.values()) {
      group(roots, channels).ifPresent(found::add);
    }
    found.sort(
        (a, b) -> Integer.compare(position(a.members().get(0)), position(b.members().get(0))));
    for (PruningGroup group : found) {
      groups.add(group);
      byName.put(group.name(), group);
      for (String member : group.members()) {
        byLayer.put(member, group);
      }
      for (String follower : group.followers()) {
        byLayer.putIfAbsent(follower, group);
      }
    }
  }

  private Optional<PruningGroup> group(List<Integer> roots, Map<Integer, List<Integer>> channels) {
    Set<String> members = new LinkedHashSet<>();
    boolean pseudo = false;
    String pin = null;
    for (int root : roots) {
      for (int atom : channels.get(root)) {
        String source = walk.atomSource.get(atom);
        if (walk.sources.contains(source)) {
          members.add(source);
        } else {
          pseudo = true;
        }
        if (pin == null && walk.atomPin.get(atom) != null) {
          pin = walk.atomPin.get(atom);
        }
      }
    }
    if (members.isEmpty()) {
      return Optional.empty();
    }
    List<String> ordered = new ArrayList<>(members);
    ordered.sort((a, b) -> Integer.compare(position(a), position(b)));
    Map<String, int[][]> memberChannels = memberChannels(ordered, roots, channels);
    Set<Integer> rootSet = new HashSet<>(roots);
    List<String> followers = new ArrayList<>();
    List<String> consumers = new ArrayList<>();
    String maskNote = null;
    for (String node : walk.net.order()) {
      if (walk.followers.contains(node) && carries(walk.out.get(node), rootSet)) {
        followers.add(node);
      }
      if (walk.readers.contains(node) && carries(walk.in.get(node), rootSet)) {
        consumers.add(node);
      }
      if (maskNote == null && walk.mixing.contains(node) && losesZero(node, rootSet)) {
        maskNote =
            "'"
                + node
                + "' ("
                + walk.net.kind(node)
                + ") mixes channels after a layer that does not keep zeros, so the pruned model"
                + " differs from the original with those channels zeroed";
      }
    }
    String reason = pin;
    if (reason == null && pseudo) {
      reason = "it is coupled with channels that cannot be removed";
    }
    int minimum =
        consumers.stream().anyMatch(c -> LayerKind.of(walk.net.layer(c)) == LayerKind.SEPARABLE)
            ? 2
            : 1;
    if (reason == null && roots.size() <= minimum) {
      reason =
          roots.size() < 2
              ? "it has a single channel, and at least one must stay"
              : "a separable convolution reads its channels, and at least two must stay";
    }
    if (reason == null && consumers.isEmpty()) {
      reason = "no layer reads its channels";
    }
    String name = ordered.get(0);
    channelRoots.put(name, roots.stream().mapToInt(Integer::intValue).toArray());
    return Optional.of(
        new PruningGroup(
            name,
            roots.size(),
            ordered,
            followers,
            consumers,
            reason == null,
            reason,
            maskNote,
            memberChannels,
            minimum));
  }

  private Map<String, int[][]> memberChannels(
      List<String> members, List<Integer> roots, Map<Integer, List<Integer>> channels) {
    Map<String, int[][]> result = new LinkedHashMap<>();
    for (String member : members) {
      int[][] perChannel = new int[roots.size()][];
      for (int k = 0; k < roots.size(); k++) {
        perChannel[k] =
            channels.get(roots.get(k)).stream()
                .filter(atom -> walk.atomSource.get(atom).equals(member))
                .mapToInt(walk.atomChannel::get)
                .toArray();
      }
      result.put(member, perChannel);
    }
    return result;
  }

  private boolean carries(Layout layout, Set<Integer> roots) {
    if (layout == null) {
      return false;
    }
    for (int atom : layout.atoms()) {
      if (roots.contains(walk.find(atom))) {
        return true;
      }
    }
    return false;
  }

  private boolean losesZero(String node, Set<Integer> roots) {
    Layout input = walk.in.containsKey(node) ? walk.in.get(node) : inputOfVertex(node);
    for (int p = 0; p < input.size(); p++) {
      if (roots.contains(walk.find(input.atoms()[p])) && !input.zeroKept()[p]) {
        return true;
      }
    }
    return false;
  }

  private Layout inputOfVertex(String node) {
    return walk.out.get(walk.net.inputs(node).get(0));
  }

  /** Whether the group reaches a channel-mixing node (then the mask zeroes the members too). */
  boolean reachesMixing(PruningGroup group) {
    Set<Integer> roots = new HashSet<>();
    for (int root : channelRoots.get(group.name())) {
      roots.add(root);
    }
    for (String node : walk.mixing) {
      Layout input = walk.in.containsKey(node) ? walk.in.get(node) : inputOfVertex(node);
      if (carries(input, roots)) {
        return true;
      }
    }
    return false;
  }

  NetworkGraph network() {
    return walk.net;
  }

  /** A layer's input layout after its preprocessor, or null for a vertex. */
  Layout inputLayout(String node) {
    return walk.in.get(node);
  }

  private static void unionSources(Map<String, String> parent, String a, String b) {
    String ra = findSource(parent, a);
    String rb = findSource(parent, b);
    if (!ra.equals(rb)) {
      parent.put(rb, ra);
    }
  }

  private static String findSource(Map<String, String> parent, String source) {
    String current = source;
    while (parent.containsKey(current) && !parent.get(current).equals(current)) {
      current = parent.get(current);
    }
    return current;
  }
}
