package org.cnnsimplifier.engine.surgery;

import java.util.Arrays;
import java.util.Map;
import org.cnnsimplifier.engine.InvalidPlanException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Structural channel removal: a new, smaller network without some channels of one {@link
 * PruningGroup} (kernels of its convolutions, units of its dense layer) and without everything that
 * depended on them: the members' kernels and biases, the followers' per-channel parameters (batch
 * norm, PReLU, depthwise filters), the consumers' input channels or rows.
 *
 * <p>The result computes exactly what the original computes when the removed channels reach the
 * layers that read them as zero ({@link KernelMask}), up to float rounding. The optimiser state is
 * not carried over: the model is retrained afterwards anyway.
 */
public final class KernelSurgery {
  private KernelSurgery() {}

  /**
   * Removes channels of the group named by {@code layerOrGroup} (the group's name or any of its
   * members).
   *
   * @param kernels the group's channels to remove (current indices, as the group numbers them)
   * @throws InvalidPlanException if the group cannot be pruned, an index is out of range or
   *     repeated, or no channel would remain
   */
  public static CnnModel remove(CnnModel model, String layerOrGroup, int[] kernels) {
    ChannelGraph graph = ChannelGraph.of(model);
    PruningGroup group = graph.prunable(layerOrGroup);
    int[] removed = validate(kernels, group);
    if (removed.length == 0) {
      return model.copy();
    }
    ChannelGraph.Removal removal = graph.removal(group, removed);
    CnnModel result;
    if (model.isGraph()) {
      ComputationGraphConfiguration conf = model.graph().getConfiguration().clone();
      resize(NetworkGraph.of(conf, model.inputShape()), removal);
      ComputationGraph network = new ComputationGraph(conf);
      network.init();
      result = model.with(network);
    } else {
      MultiLayerConfiguration conf = model.network().getLayerWiseConfigurations().clone();
      resize(NetworkGraph.of(conf, model.inputShape()), removal);
      MultiLayerNetwork network = new MultiLayerNetwork(conf);
      network.init();
      result = model.with(network);
    }
    copyParameters(model, result, graph, removal);
    return result;
  }

  /**
   * Arrays shaped like parameters of {@code model} (an optimiser's state, by layer and parameter
   * name), cut as {@link #remove} cuts the parameters when it removes {@code kernels} from the
   * group: what each surviving parameter slice keeps. Arrays of layers the removal does not touch
   * are returned as they are.
   */
  public static Map<String, Map<String, INDArray>> cutLike(
      CnnModel model,
      String layerOrGroup,
      int[] kernels,
      Map<String, Map<String, INDArray>> arrays) {
    ChannelGraph graph = ChannelGraph.of(model);
    PruningGroup group = graph.prunable(layerOrGroup);
    int[] removed = validate(kernels, group);
    Map<String, Map<String, INDArray>> result = new java.util.LinkedHashMap<>();
    ChannelGraph.Removal removal = removed.length == 0 ? null : graph.removal(group, removed);
    for (Map.Entry<String, Map<String, INDArray>> layer : arrays.entrySet()) {
      String name = layer.getKey();
      Map<String, INDArray> cut = new java.util.LinkedHashMap<>();
      for (Map.Entry<String, INDArray> param : layer.getValue().entrySet()) {
        INDArray value = param.getValue();
        if (removal != null && removal.touches(name)) {
          value =
              ParameterCuts.cut(
                  model.layer(name).conf().getLayer(),
                  param.getKey(),
                  value,
                  removal.in().get(name),
                  removal.out().get(name),
                  inputSize(graph, name));
        }
        cut.put(param.getKey(), value.dup());
      }
      result.put(name, cut);
    }
    return result;
  }

  /** Checks channel indices: in range, distinct, and allowed by the group. Returns them sorted. */
  static int[] validate(int[] kernels, PruningGroup group) {
    int[] sorted = validateRange(kernels, group.channels(), group.name());
    String refusal = group.refusalToRemove(sorted);
    if (refusal != null) {
      throw new InvalidPlanException(refusal);
    }
    return sorted;
  }

  /** Checks channel indices: in range and distinct. Returns them sorted. */
  static int[] validateRange(int[] kernels, int count, String group) {
    int[] sorted = kernels.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      if (sorted[i] < 0 || sorted[i] >= count) {
        throw new InvalidPlanException(
            "kernel index "
                + sorted[i]
                + " is out of range for layer '"
                + group
                + "', which has "
                + count
                + " kernels (0.."
                + (count - 1)
                + ")");
      }
      if (i > 0 && sorted[i] == sorted[i - 1]) {
        throw new InvalidPlanException(
            "kernel index " + sorted[i] + " of layer '" + group + "' is given twice");
      }
    }
    return sorted;
  }

  /** Shrinks the sizes in a cloned configuration. */
  private static void resize(NetworkGraph clone, ChannelGraph.Removal removal) {
    for (String node : clone.order()) {
      if (clone.layer(node) != null && removal.touches(node)) {
        ParameterCuts.resize(
            clone.layer(node),
            clone.preProcessor(node),
            removal.in().get(node),
            removal.rawIn().get(node),
            removal.out().get(node));
      }
    }
  }

  private static void copyParameters(
      CnnModel from, CnnModel to, ChannelGraph graph, ChannelGraph.Removal removal) {
    for (String name : from.layerNames()) {
      org.deeplearning4j.nn.api.Layer source = from.layer(name);
      long channelsBefore = inputSize(graph, name);
      for (Map.Entry<String, INDArray> param : source.paramTable().entrySet()) {
        INDArray value =
            removal.touches(name)
                ? ParameterCuts.cut(
                    source.conf().getLayer(),
                    param.getKey(),
                    param.getValue(),
                    removal.in().get(name),
                    removal.out().get(name),
                    channelsBefore)
                : param.getValue();
        INDArray target = to.layer(name).getParam(param.getKey());
        if (!Arrays.equals(target.shape(), value.shape())) {
          throw new IllegalStateException(
              "parameter "
                  + name
                  + "/"
                  + param.getKey()
                  + " has shape "
                  + Arrays.toString(value.shape())
                  + " after surgery but the new network expects "
                  + Arrays.toString(target.shape()));
        }
        target.assign(value);
      }
    }
  }

  private static long inputSize(ChannelGraph graph, String layer) {
    Layout in = graph.inputLayout(layer);
    return in == null ? 0 : in.size();
  }
}
