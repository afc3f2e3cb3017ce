package org.cnnsimplifier.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnnsimplifier.engine.surgery.ChannelGraph;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * The layers of a model with their shapes, parameters and FLOPs, and which can be pruned.
 *
 * <p>FLOPs are counted per image as pruning papers report them: 2 per multiply-add of the
 * convolution and dense layers (a convolution: 2·kH·kW·Cin·Cout·Hout·Wout; a dense layer:
 * 2·nIn·nOut). Bias additions, activations, batch normalization, pooling and dropout count 0: they
 * are a small, roughly constant share that kernel pruning does not change in kind.
 *
 * <p>Kernels are removed by group ({@link GroupSummary}): a plain convolution or hidden dense layer
 * is a group of its own; convolutions whose outputs meet in a residual add are one group.
 *
 * @param layers the layers in forward (topological) order
 * @param totalParams the sum of the layers' parameters, equal to the model's
 * @param totalFlops the sum of the layers' FLOPs
 * @param groups every group of layers that make channels, prunable or not, in forward order
 */
public record ArchitectureSummary(
    List<LayerSummary> layers, long totalParams, long totalFlops, List<GroupSummary> groups) {

  public ArchitectureSummary {
    layers = List.copyOf(layers);
    groups = groups == null ? List.of() : List.copyOf(groups);
  }

  /** A summary without group information. */
  public ArchitectureSummary(List<LayerSummary> layers, long totalParams, long totalFlops) {
    this(layers, totalParams, totalFlops, List.of());
  }

  /** Summarises the model, starting shape inference from {@link CnnModel#inputShape()}. */
  public static ArchitectureSummary of(CnnModel model) {
    Map<String, InputType[]> shapes = LayerTypes.inputAndOutput(model);
    ChannelGraph channels = ChannelGraph.of(model);
    List<LayerSummary> layers = new ArrayList<>();
    long params = 0;
    long flops = 0;
    for (String name : model.layerNames()) {
      InputType[] types = shapes.get(name);
      LayerSummary layer =
          LayerFigures.summarise(model, name, types[0], types[1], channels.find(name));
      layers.add(layer);
      params += layer.params();
      flops += layer.flops();
    }
    List<GroupSummary> groups =
        channels.groups().stream()
            .map(
                g ->
                    new GroupSummary(
                        g.name(),
                        g.channels(),
                        g.members(),
                        g.followers(),
                        g.consumers(),
                        g.prunable(),
                        g.notPrunableReason()))
            .toList();
    return new ArchitectureSummary(layers, params, flops, groups);
  }

  /** Names of the layers that can lose kernels (members of prunable groups), in forward order. */
  public List<String> prunableLayers() {
    return layers.stream().filter(LayerSummary::prunable).map(LayerSummary::name).toList();
  }

  /** Names of the prunable groups, in forward order. */
  public List<String> prunableGroups() {
    return groups.stream().filter(GroupSummary::prunable).map(GroupSummary::name).toList();
  }

  /**
   * What a job simplifies when it names no layers: the prunable groups with a convolution among
   * their members, in forward order (dense units are pruned when named).
   */
  public List<String> defaultGroups() {
    return groups.stream()
        .filter(GroupSummary::prunable)
        .filter(
            g ->
                g.members().stream()
                    .anyMatch(
                        m -> layer(m).map(l -> l.kind().endsWith("onvolution")).orElse(false)))
        .map(GroupSummary::name)
        .toList();
  }

  /** The group named, or containing the named layer as member or follower. */
  public Optional<GroupSummary> group(String layerOrGroup) {
    return groups.stream()
        .filter(
            g ->
                g.name().equals(layerOrGroup)
                    || g.members().contains(layerOrGroup)
                    || g.followers().contains(layerOrGroup))
        .findFirst();
  }

  /** The named layer's summary. */
  public Optional<LayerSummary> layer(String name) {
    return layers.stream().filter(layer -> layer.name().equals(name)).findFirst();
  }
}
