package org.cnnsimplifier.engine.surgery;

import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.surgery.ChannelDependents.Reader;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A copy of a model in which some kernels of a convolution layer still exist but their activations
 * reach the layers that read them as zero: the reference that {@link KernelSurgery} must match, and
 * a cheap way to try a removal (ablation, accuracy-bounded policies).
 */
public final class KernelMask {
  private KernelMask() {}

  /** The model with the given kernels' contributions to every reading layer set to zero. */
  public static CnnModel zeroed(CnnModel model, String layerName, int[] kernels) {
    ChannelDependents deps = ChannelDependents.of(model, layerName);
    int[] zeroed = KernelSurgery.validateRange(kernels, deps.kernels(), layerName);
    CnnModel copy = model.copy();
    for (Reader reader : deps.readers()) {
      INDArray weights = copy.layer(reader.name()).getParam("W");
      INDArray masked =
          switch (reader.kind()) {
            case CONVOLUTION -> Slices.zero(weights, 1, zeroed);
            case PER_CHANNEL -> Slices.zero(weights, 0, zeroed);
            case FLATTENED ->
                Slices.zero(
                    weights,
                    0,
                    Slices.flattenedRows(
                        zeroed,
                        deps.kernels(),
                        reader.height(),
                        reader.width(),
                        reader.channelsLast()));
          };
      weights.assign(masked);
    }
    return copy;
  }
}
