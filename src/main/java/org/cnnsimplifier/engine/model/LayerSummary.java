package org.cnnsimplifier.engine.model;

import java.util.List;

/**
 * One layer of a model as a user sees it in the architecture view.
 *
 * @param name the layer name
 * @param kind what the layer does: Convolution, BatchNormalization, Subsampling, Dense, Output,
 *     Activation, Dropout, GlobalPooling, …
 * @param inputShape the shape of one image's input to the layer, e.g. [32, 28, 28] or [128]
 * @param outputShape the shape of one image's output of the layer
 * @param params trainable and state parameters (batch-norm mean and variance count)
 * @param flops floating-point operations for one image; see {@link ArchitectureSummary}
 * @param kernels the output channels of a convolution, null for other layers
 * @param prunable whether kernels of this layer can be eliminated
 * @param notPrunableReason why not, or null when prunable
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
    String notPrunableReason) {

  public LayerSummary {
    inputShape = List.copyOf(inputShape);
    outputShape = List.copyOf(outputShape);
  }
}
