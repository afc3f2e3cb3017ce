package org.cnnsimplifier.engine.surgery;

import java.util.Arrays;
import java.util.Map;
import org.cnnsimplifier.engine.InvalidPlanException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.surgery.ChannelDependents.Reader;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Structural kernel removal: a new, smaller network without some kernels of one convolution layer
 * and without everything that depended on them (see {@link ChannelDependents}).
 *
 * <p>The result computes exactly what the original computes when the removed kernels' activations
 * are forced to zero before the layers that read them ({@link KernelMask}), up to float rounding.
 * The optimiser state is not carried over: the removed model is retrained afterwards anyway.
 */
public final class KernelSurgery {
  private KernelSurgery() {}

  /**
   * Removes the given kernels (output channels) of a convolution layer.
   *
   * @throws InvalidPlanException if the layer cannot be pruned, an index is out of range or
   *     repeated, or no kernel would remain
   */
  public static CnnModel remove(CnnModel model, String layerName, int[] kernels) {
    ChannelDependents deps = ChannelDependents.of(model, layerName);
    int[] removed = validate(kernels, deps.kernels(), layerName);
    int[] keep = complement(removed, deps.kernels());
    if (removed.length == 0) {
      return model.copy();
    }
    CnnModel result;
    if (model.isGraph()) {
      ComputationGraphConfiguration conf = model.graph().getConfiguration().clone();
      resize(NetworkGraph.of(conf), deps, keep.length);
      ComputationGraph graph = new ComputationGraph(conf);
      graph.init();
      result = model.with(graph);
    } else {
      MultiLayerConfiguration conf = model.network().getLayerWiseConfigurations().clone();
      resize(NetworkGraph.of(conf), deps, keep.length);
      MultiLayerNetwork network = new MultiLayerNetwork(conf);
      network.init();
      result = model.with(network);
    }
    copyParameters(model, result, deps, keep);
    return result;
  }

  /** Checks kernel indices: in range, distinct, at least one kernel left. Returns them sorted. */
  static int[] validate(int[] kernels, int count, String layerName) {
    int[] sorted = validateRange(kernels, count, layerName);
    if (sorted.length >= count) {
      throw new InvalidPlanException(
          "removing all "
              + count
              + " kernels of layer '"
              + layerName
              + "' would empty it; at least one must stay");
    }
    return sorted;
  }

  /** Checks kernel indices: in range and distinct. Returns them sorted. */
  static int[] validateRange(int[] kernels, int count, String layerName) {
    int[] sorted = kernels.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      if (sorted[i] < 0 || sorted[i] >= count) {
        throw new InvalidPlanException(
            "kernel index "
                + sorted[i]
                + " is out of range for layer '"
                + layerName
                + "', which has "
                + count
                + " kernels (0.."
                + (count - 1)
                + ")");
      }
      if (i > 0 && sorted[i] == sorted[i - 1]) {
        throw new InvalidPlanException(
            "kernel index " + sorted[i] + " of layer '" + layerName + "' is given twice");
      }
    }
    return sorted;
  }

  /** The indices 0..count-1 not in {@code removed} (sorted). */
  static int[] complement(int[] removed, int count) {
    boolean[] gone = new boolean[count];
    for (int k : removed) {
      gone[k] = true;
    }
    int[] keep = new int[count - removed.length];
    int at = 0;
    for (int k = 0; k < count; k++) {
      if (!gone[k]) {
        keep[at++] = k;
      }
    }
    return keep;
  }

  /** Shrinks the widths in a cloned configuration. */
  private static void resize(NetworkGraph graph, ChannelDependents deps, int channels) {
    int old = deps.kernels();
    ((ConvolutionLayer) graph.layer(deps.layer())).setNOut(channels);
    for (String bn : deps.batchNorms()) {
      FeedForwardLayer layer = (FeedForwardLayer) graph.layer(bn);
      layer.setNIn(channels);
      layer.setNOut(channels);
    }
    for (String node : deps.passThrough()) {
      Layer layer = graph.layer(node);
      if (layer instanceof FeedForwardLayer ff) {
        ff.setNIn(scaled(ff.getNIn(), old, channels));
        ff.setNOut(scaled(ff.getNOut(), old, channels));
      }
      updateFlatten(graph.preProcessor(node), channels);
    }
    for (Reader reader : deps.readers()) {
      FeedForwardLayer layer = (FeedForwardLayer) graph.layer(reader.name());
      layer.setNIn(scaled(layer.getNIn(), old, channels));
      updateFlatten(graph.preProcessor(reader.name()), channels);
    }
  }

  /** A width that counts {@code old} channels (times positions) recounted for {@code now}. */
  private static long scaled(long width, int old, int now) {
    return width > 0 && width % old == 0 ? width / old * now : width;
  }

  private static void updateFlatten(InputPreProcessor pre, int channels) {
    if (pre instanceof CnnToFeedForwardPreProcessor flatten) {
      flatten.setNumChannels(channels);
    }
  }

  private static void copyParameters(
      CnnModel from, CnnModel to, ChannelDependents deps, int[] keep) {
    for (String name : from.layerNames()) {
      Map<String, INDArray> params = from.layer(name).paramTable();
      for (Map.Entry<String, INDArray> param : params.entrySet()) {
        INDArray value = sliced(name, param.getKey(), param.getValue(), deps, keep);
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

  private static INDArray sliced(
      String layer, String key, INDArray value, ChannelDependents deps, int[] keep) {
    if (layer.equals(deps.layer())) {
      return "W".equals(key) ? Slices.keep(value, 0, keep) : slicedVector(value, keep);
    }
    if (deps.batchNorms().contains(layer)) {
      return slicedVector(value, keep);
    }
    for (Reader reader : deps.readers()) {
      if (reader.name().equals(layer) && "W".equals(key)) {
        return switch (reader.kind()) {
          case CONVOLUTION -> Slices.keep(value, 1, keep);
          case PER_CHANNEL -> Slices.keep(value, 0, keep);
          case FLATTENED ->
              Slices.keep(
                  value,
                  0,
                  Slices.flattenedRows(
                      keep,
                      deps.kernels(),
                      reader.height(),
                      reader.width(),
                      reader.channelsLast()));
        };
      }
    }
    return value;
  }

  private static INDArray slicedVector(INDArray value, int[] keep) {
    return Slices.keep(value, Slices.channelDim(value), keep);
  }
}
