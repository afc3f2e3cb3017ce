package org.cnnsimplifier.engine.surgery;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.cnnsimplifier.engine.InvalidPlanException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;

/**
 * Everything that depends on the output channels (kernels) of one convolution layer: the layers
 * whose parameters must shrink with it when kernels are removed.
 *
 * <p>From the layer's output the analysis walks forward through per-channel layers (batch
 * normalisation, whose parameters are sliced; pooling, activation, dropout, padding, which have
 * none) to the layers that <em>read</em> the channels: a convolution (its input channels), or a
 * dense/output layer after a flatten (every input column that came from a removed channel) or after
 * global pooling (one column per channel). Anything else, such as a residual add or a concatenation
 * that couples the layer to others, is refused with a reason naming it.
 *
 * @param layer the convolution layer whose kernels are removed
 * @param kernels its current number of kernels
 * @param batchNorms batch-normalisation layers sliced channel-wise
 * @param passThrough parameter-free per-channel layers in between (their widths change)
 * @param readers layers whose inputs are sliced
 */
public record ChannelDependents(
    String layer,
    int kernels,
    List<String> batchNorms,
    List<String> passThrough,
    List<Reader> readers) {

  /** How a reading layer sees the channels. */
  public enum ReadKind {
    /** A convolution: weight dimension 1 is the input channel. */
    CONVOLUTION,
    /** A dense layer after a flatten: each channel is height × width input rows. */
    FLATTENED,
    /** A dense layer after global pooling: one input row per channel. */
    PER_CHANNEL
  }

  /**
   * A layer that reads the channels.
   *
   * @param height spatial height at the flatten (FLATTENED only)
   * @param width spatial width at the flatten (FLATTENED only)
   * @param channelsLast whether the flatten orders features height, width, channel (NHWC)
   */
  public record Reader(String name, ReadKind kind, long height, long width, boolean channelsLast) {}

  /**
   * Why the named layer's kernels cannot be removed, or empty when they can.
   *
   * @throws IllegalArgumentException if there is no such layer
   */
  public static Optional<String> refusal(CnnModel model, String layerName) {
    try {
      of(model, layerName);
      return Optional.empty();
    } catch (InvalidPlanException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Analyses the named layer of the model. */
  public static ChannelDependents of(CnnModel model, String layerName) {
    if (!model.layerNames().contains(layerName)) {
      throw new InvalidPlanException(
          "no layer named '" + layerName + "'; layers: " + model.layerNames());
    }
    NetworkGraph graph =
        model.isGraph()
            ? NetworkGraph.of(model.graph().getConfiguration())
            : NetworkGraph.of(model.network().getLayerWiseConfigurations());
    return of(graph, layerName);
  }

  static ChannelDependents of(NetworkGraph graph, String layerName) {
    Layer layer = graph.layer(layerName);
    if (!isPlainConvolution(layer)) {
      throw new InvalidPlanException(
          "layer '"
              + layerName
              + "' is a "
              + kindOf(layer)
              + ", not a 2D convolution; only 2D convolution kernels can be removed");
    }
    ConvolutionLayer conv = (ConvolutionLayer) layer;
    if (conv.getCnn2dDataFormat() == CNN2DFormat.NHWC) {
      throw new InvalidPlanException(
          "layer '"
              + layerName
              + "' is channels-last (NHWC); only NCHW convolutions are supported");
    }
    Walk walk = new Walk(graph, layerName);
    for (String consumer : graph.consumers(layerName)) {
      walk.visit(consumer, Mode.SPATIAL, 0, 0, false);
    }
    if (walk.readers.isEmpty()) {
      throw new InvalidPlanException(
          "layer '" + layerName + "' feeds no layer that reads its channels; it cannot be pruned");
    }
    return new ChannelDependents(
        layerName,
        (int) conv.getNOut(),
        List.copyOf(walk.batchNorms),
        List.copyOf(walk.passThrough),
        List.copyOf(walk.readers));
  }

  /** A 2D convolution in the plain sense: not depthwise, separable, transposed or 1D/3D. */
  public static boolean isPlainConvolution(Layer layer) {
    return layer != null
        && (layer.getClass() == ConvolutionLayer.class
            || layer.getClass() == org.deeplearning4j.nn.conf.layers.Convolution2D.class);
  }

  private static String kindOf(Layer layer) {
    return layer == null ? "graph vertex" : layer.getClass().getSimpleName();
  }

  private enum Mode {
    SPATIAL,
    FLATTENED,
    PER_CHANNEL
  }

  /** The forward walk; collects what it passes through. */
  private static final class Walk {
    private final NetworkGraph graph;
    private final String origin;
    private final Set<String> batchNorms = new LinkedHashSet<>();
    private final Set<String> passThrough = new LinkedHashSet<>();
    private final List<Reader> readers = new ArrayList<>();

    Walk(NetworkGraph graph, String origin) {
      this.graph = graph;
      this.origin = origin;
    }

    void visit(String node, Mode mode, long height, long width, boolean channelsLast) {
      if (NetworkGraph.NETWORK_OUTPUT.equals(node)) {
        throw refuse("its channels are a network output");
      }
      Layer layer = graph.layer(node);
      if (layer == null) {
        throw refuse(
            "it feeds "
                + graph.vertexKind(node)
                + " '"
                + node
                + "', which couples it to other layers (a residual add or concatenation must"
                + " keep the same channels on every input); pruning coupled layers together is"
                + " not supported");
      }
      InputPreProcessor pre = graph.preProcessor(node);
      if (pre instanceof CnnToFeedForwardPreProcessor flatten && mode == Mode.SPATIAL) {
        mode = Mode.FLATTENED;
        height = flatten.getInputHeight();
        width = flatten.getInputWidth();
        channelsLast =
            flatten.getFormat() == CNN2DFormat.NHWC
                || flatten.getClass().getSimpleName().startsWith("TensorFlow");
      } else if (pre != null) {
        throw refuse(
            "layer '" + node + "' reshapes its input with " + pre.getClass().getSimpleName());
      }
      if (isPlainConvolution(layer) && mode == Mode.SPATIAL) {
        readers.add(new Reader(node, ReadKind.CONVOLUTION, 0, 0, false));
      } else if ((layer instanceof DenseLayer || layer instanceof BaseOutputLayer)
          && mode != Mode.SPATIAL) {
        ReadKind kind = mode == Mode.FLATTENED ? ReadKind.FLATTENED : ReadKind.PER_CHANNEL;
        readers.add(new Reader(node, kind, height, width, channelsLast));
      } else if (layer instanceof BatchNormalization && mode == Mode.SPATIAL) {
        batchNorms.add(node);
        follow(node, mode, height, width, channelsLast);
      } else if (layer instanceof GlobalPoolingLayer && mode == Mode.SPATIAL) {
        passThrough.add(node);
        follow(node, Mode.PER_CHANNEL, 0, 0, false);
      } else if (isPassThrough(layer, mode)) {
        passThrough.add(node);
        follow(node, mode, height, width, channelsLast);
      } else {
        throw refuse(
            "layer '"
                + node
                + "' ("
                + layer.getClass().getSimpleName()
                + ") reads its channels in a way that cannot be adjusted");
      }
    }

    private void follow(String node, Mode mode, long height, long width, boolean channelsLast) {
      for (String next : graph.consumers(node)) {
        visit(next, mode, height, width, channelsLast);
      }
    }

    private static boolean isPassThrough(Layer layer, Mode mode) {
      if (layer instanceof ActivationLayer || layer instanceof DropoutLayer) {
        return true;
      }
      return mode == Mode.SPATIAL
          && (layer.getClass() == SubsamplingLayer.class
              || layer instanceof org.deeplearning4j.nn.conf.layers.Pooling2D
              || layer instanceof ZeroPaddingLayer
              || layer instanceof Upsampling2D
              || layer instanceof Cropping2D);
    }

    private InvalidPlanException refuse(String why) {
      return new InvalidPlanException(
          "kernels of layer '" + origin + "' cannot be removed: " + why);
    }
  }
}
