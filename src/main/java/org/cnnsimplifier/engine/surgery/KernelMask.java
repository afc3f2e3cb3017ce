package org.cnnsimplifier.engine.surgery;

import java.util.Map;
import org.cnnsimplifier.engine.model.CnnModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A copy of a model in which some channels of a group still exist but reach the layers that read
 * them as zero: the reference that {@link KernelSurgery} must match, and a cheap way to try a
 * removal (ablation, accuracy-bounded policies).
 *
 * <p>The consumers' weights on those channels are zeroed. When the group reaches a layer that mixes
 * channels (LRN, L2 normalisation, softmax over channels), the members' kernels and biases are
 * zeroed as well, so that the mixing layer sees zeros too; where a layer between them does not keep
 * zeros (batch norm), the comparison is not exact and {@link PruningGroup#exactMaskNote()} says
 * why.
 */
public final class KernelMask {
  private KernelMask() {}

  /** The model with the given channels of the group zeroed where they are read. */
  public static CnnModel zeroed(CnnModel model, String layerOrGroup, int[] kernels) {
    ChannelGraph graph = ChannelGraph.of(model);
    PruningGroup group = graph.prunable(layerOrGroup);
    int[] zeroed = KernelSurgery.validateRange(kernels, group.channels(), group.name());
    CnnModel copy = model.copy();
    if (zeroed.length == 0) {
      return copy;
    }
    ChannelGraph.Removal removal = graph.removal(group, zeroed);
    boolean zeroMembers = graph.reachesMixing(group);
    for (String name : copy.layerNames()) {
      int[] in = group.consumers().contains(name) ? removal.in().get(name) : null;
      int[] out = zeroMembers && group.members().contains(name) ? removal.out().get(name) : null;
      if (in == null && out == null) {
        continue;
      }
      org.deeplearning4j.nn.api.Layer layer = copy.layer(name);
      for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
        INDArray value = param.getValue();
        if (in != null) {
          value = ParameterCuts.zeroInputs(layer.conf().getLayer(), param.getKey(), value, in);
        }
        if (out != null) {
          value = ParameterCuts.zeroOutputs(layer.conf().getLayer(), param.getKey(), value, out);
        }
        if (value != param.getValue()) {
          param.getValue().assign(value);
        }
      }
    }
    return copy;
  }
}
