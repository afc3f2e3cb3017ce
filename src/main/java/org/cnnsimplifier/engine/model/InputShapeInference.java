package org.cnnsimplifier.engine.model;

import java.util.ArrayList;
import java.util.List;
import org.cnnsimplifier.engine.InvalidModelException;
import org.cnnsimplifier.engine.surgery.ChannelGraph;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Finds the input image shape of a DL4J network that was saved without it.
 *
 * <p>DL4J keeps no input type in a saved configuration, but its preprocessors tell: a {@link
 * FeedForwardToCnnPreProcessor} in front of the first layer gives the shape outright; otherwise the
 * shape at the first {@link CnnToFeedForwardPreProcessor} (the flatten) is worked back through the
 * convolution and pooling layers before it. Working back is exact only through stride-1 layers (and
 * Strict mode): a stride-2 pooling in Truncate mode maps both 28 and 29 to 14. When more than one
 * size fits, the caller's hint decides; without a hint the user is asked for the shape. Graphs are
 * worked back only along a single chain from their input.
 */
final class InputShapeInference {
  private InputShapeInference() {}

  /** The sizes one spatial axis may have had: {@code min..max}. */
  private record Range(long min, long max) {}

  static InputShape infer(MultiLayerNetwork network, InputShape hint, String name) {
    MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
    List<Object> chain = new ArrayList<>();
    for (int i = 0; i < conf.getConfs().size(); i++) {
      if (conf.getInputPreProcess(i) != null) {
        chain.add(conf.getInputPreProcess(i));
      }
      chain.add(conf.getConf(i).getLayer());
    }
    return infer(chain, hint, name);
  }

  static InputShape infer(ComputationGraph graph, InputShape hint, String name) {
    ComputationGraphConfiguration conf = graph.getConfiguration();
    List<Object> chain = new ArrayList<>();
    if (conf.getNetworkInputs().size() == 1) {
      String current = conf.getNetworkInputs().get(0);
      while (true) {
        String next = soleReader(conf, current);
        if (next == null) {
          break;
        }
        GraphVertex vertex = conf.getVertices().get(next);
        if (vertex instanceof LayerVertex layer) {
          if (layer.getPreProcessor() != null) {
            chain.add(layer.getPreProcessor());
          }
          chain.add(layer.getLayerConf().getLayer());
        } else if (vertex instanceof PreprocessorVertex pre) {
          chain.add(pre.getPreProcessor());
        } else {
          break;
        }
        current = next;
      }
    }
    return infer(chain, hint, name);
  }

  private static InputShape infer(List<Object> chain, InputShape hint, String name) {
    if (!chain.isEmpty() && chain.get(0) instanceof FeedForwardToCnnPreProcessor unflatten) {
      return new InputShape(
          (int) unflatten.getNumChannels(),
          (int) unflatten.getInputHeight(),
          (int) unflatten.getInputWidth());
    }
    Integer channels = inputChannels(chain);
    int flatten = indexOfFlatten(chain);
    if (flatten >= 0) {
      CnnToFeedForwardPreProcessor pre = (CnnToFeedForwardPreProcessor) chain.get(flatten);
      Range height = new Range(pre.getInputHeight(), pre.getInputHeight());
      Range width = new Range(pre.getInputWidth(), pre.getInputWidth());
      boolean known = channels != null;
      for (int i = flatten - 1; i >= 0 && known; i--) {
        Object item = chain.get(i);
        if (item instanceof ConvolutionLayer conv && ChannelGraph.isPlainConvolution(conv)) {
          height =
              back(
                  height,
                  conv.getKernelSize()[0],
                  conv.getStride()[0],
                  conv.getPadding()[0],
                  conv.getDilation()[0],
                  conv.getConvolutionMode());
          width =
              back(
                  width,
                  conv.getKernelSize()[1],
                  conv.getStride()[1],
                  conv.getPadding()[1],
                  conv.getDilation()[1],
                  conv.getConvolutionMode());
        } else if (item instanceof SubsamplingLayer pool) {
          height =
              back(
                  height,
                  pool.getKernelSize()[0],
                  pool.getStride()[0],
                  pool.getPadding()[0],
                  pool.getDilation()[0],
                  pool.getConvolutionMode());
          width =
              back(
                  width,
                  pool.getKernelSize()[1],
                  pool.getStride()[1],
                  pool.getPadding()[1],
                  pool.getDilation()[1],
                  pool.getConvolutionMode());
        } else if (item instanceof ZeroPaddingLayer pad) {
          int[] p = pad.getPadding(); // top, bottom, left, right
          height = new Range(height.min() - p[0] - p[1], height.max() - p[0] - p[1]);
          width = new Range(width.min() - p[2] - p[3], width.max() - p[2] - p[3]);
        } else if (!(item instanceof BatchNormalization
            || item instanceof ActivationLayer
            || item instanceof DropoutLayer
            || item instanceof LocalResponseNormalization)) {
          known = false;
        }
      }
      if (known && height.min() > 0 && width.min() > 0) {
        if (height.min() == height.max() && width.min() == width.max()) {
          return new InputShape(channels, (int) height.min(), (int) width.min());
        }
        if (hint != null && fits(hint, channels, height, width)) {
          return hint;
        }
        if (hint == null) {
          throw new InvalidModelException(
              name
                  + " does not say its input size exactly: any of "
                  + channels
                  + "x"
                  + text(height)
                  + "x"
                  + text(width)
                  + " fits; give the input shape");
        }
        throw new InvalidModelException(
            name
                + " takes "
                + channels
                + "x"
                + text(height)
                + "x"
                + text(width)
                + " images, not "
                + hint);
      }
    }
    if (hint != null) {
      if (channels != null && channels != hint.channels()) {
        throw new InvalidModelException(
            name + " takes images with " + channels + " channels, not " + hint.channels());
      }
      return hint;
    }
    throw new InvalidModelException(
        name
            + " does not say its input image size; give the input shape (channels, height, width)");
  }

  /** The input sizes that give {@code out} through a convolution or pooling window. */
  private static Range back(
      Range out, int kernel, int stride, int padding, int dilation, ConvolutionMode mode) {
    long effectiveKernel = (long) (kernel - 1) * Math.max(1, dilation) + 1;
    if (mode == ConvolutionMode.Same) {
      // out = ceil(in / stride)
      return new Range((out.min() - 1) * stride + 1, out.max() * stride);
    }
    long min = (out.min() - 1) * stride + effectiveKernel - 2L * padding;
    long max = (out.max() - 1) * stride + effectiveKernel - 2L * padding;
    // Truncate drops up to stride-1 trailing pixels; Strict requires an exact fit.
    return new Range(min, mode == ConvolutionMode.Strict ? max : max + stride - 1);
  }

  private static boolean fits(InputShape hint, int channels, Range height, Range width) {
    return hint.channels() == channels
        && hint.height() >= height.min()
        && hint.height() <= height.max()
        && hint.width() >= width.min()
        && hint.width() <= width.max();
  }

  private static String text(Range range) {
    return range.min() == range.max()
        ? Long.toString(range.min())
        : range.min() + ".." + range.max();
  }

  /** The first convolution's input channels, if only channel-preserving layers come before it. */
  private static Integer inputChannels(List<Object> chain) {
    for (Object item : chain) {
      if (item instanceof ConvolutionLayer conv) {
        return conv.getNIn() > 0 ? (int) conv.getNIn() : null;
      }
      if (!(item instanceof BatchNormalization
          || item instanceof ActivationLayer
          || item instanceof DropoutLayer
          || item instanceof ZeroPaddingLayer
          || item instanceof SubsamplingLayer
          || item instanceof LocalResponseNormalization)) {
        return null;
      }
    }
    return null;
  }

  private static int indexOfFlatten(List<Object> chain) {
    for (int i = 0; i < chain.size(); i++) {
      if (chain.get(i) instanceof CnnToFeedForwardPreProcessor) {
        return i;
      }
    }
    return -1;
  }

  private static String soleReader(ComputationGraphConfiguration conf, String vertex) {
    String reader = null;
    for (var entry : conf.getVertexInputs().entrySet()) {
      if (entry.getValue().contains(vertex)) {
        if (reader != null || entry.getValue().size() != 1) {
          return null;
        }
        reader = entry.getKey();
      }
    }
    return reader;
  }
}
