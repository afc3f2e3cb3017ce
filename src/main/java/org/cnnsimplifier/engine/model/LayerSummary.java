package org.cnnsimplifier.engine.model;

import java.util.List;

/**
 * One layer of a model as a user sees it in the architecture view.
 *
 * @param name the layer name
 * @param kind what the layer does: Convolution, DepthwiseConvolution, SeparableConvolution,
 *     Deconvolution, BatchNormalization, Subsampling, Dense, Output, Activation, Dropout,
 *     GlobalPooling, …
 * @param inputShape the shape of one image's input to the layer, e.g. [32, 28, 28] or [128]
 * @param outputShape the shape of one image's output of the layer
 * @param params trainable and state parameters (batch-norm mean and variance count)
 * @param flops floating-point operations for one image; see {@link ArchitectureSummary}
 * @param kernels the output channels of a convolution (or units of a dense layer), null for other
 *     layers
 * @param prunable whether this layer can lose kernels (alone or with its group)
 * @param notPrunableReason why not, or null when prunable
 * @param group the group whose channels this layer's output carries (its own kernels, or the
 *     channels a depthwise convolution follows), or null
 * @param groupMembers the layers whose kernels are removed together with this one's, or null
 * @param groupConsumers the layers whose inputs shrink when the group loses channels, or null
 */
public record LayerSummary(
    String name,
    String kind,
    List<Long> inputShape,
    List<Long> outputShape,
    long params,
    long flops,
    Integer kernels,
    boolean prunable,
    String notPrunableReason,
    String group,
    List<String> groupMembers,
    List<String> groupConsumers) {

  public LayerSummary {
    inputShape = List.copyOf(inputShape);
    outputShape = List.copyOf(outputShape);
    groupMembers = groupMembers == null ? null : List.copyOf(groupMembers);
    groupConsumers = groupConsumers == null ? null : List.copyOf(groupConsumers);
  }

  /** A layer outside any group. */
  public LayerSummary(
      String name,
      String kind,
      List<Long> inputShape,
      List<Long> outputShape,
      long params,
      long flops,
      Integer kernels,
      boolean prunable,
      String notPrunableReason) {
    this(
        name,
        kind,
        inputShape,
        outputShape,
        params,
        flops,
        kernels,
        prunable,
        notPrunableReason,
        null,
        null,
        null);
  }
}
