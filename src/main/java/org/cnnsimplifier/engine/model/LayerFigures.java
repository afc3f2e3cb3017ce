package org.cnnsimplifier.engine.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.cnnsimplifier.engine.surgery.PruningGroup;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Kind, parameters and FLOPs of one layer (see {@link ArchitectureSummary} for the counting). */
final class LayerFigures {
  private LayerFigures() {}

  static LayerSummary summarise(
      CnnModel model, String name, InputType in, InputType out, Optional<PruningGroup> group) {
    Layer conf = model.layerConf(name);
    org.deeplearning4j.nn.api.Layer layer = model.layer(name);
    Integer kernels =
        conf instanceof ConvolutionLayer || conf instanceof DenseLayer
            ? Math.toIntExact(((FeedForwardLayer) conf).getNOut())
            : null;
    // Losing kernels: a member of a group, or a depthwise convolution following its channels.
    Optional<PruningGroup> own =
        group.filter(g -> g.members().contains(name) || conf instanceof DepthwiseConvolution2D);
    String reason =
        own.map(PruningGroup::notPrunableReason)
            .orElse(
                conf instanceof ConvolutionLayer
                    ? kind(conf) + " layers cannot lose kernels here"
                    : "only convolution kernels and dense units can be eliminated");
    if (conf instanceof BaseOutputLayer) {
      reason = own.map(PruningGroup::notPrunableReason).orElse("the output layer is never pruned");
    }
    return new LayerSummary(
        name,
        kind(conf),
        shape(in),
        shape(lossOutput(conf, in, out)),
        layer.numParams(),
        flops(conf, layer, in, out),
        kernels,
        own.map(PruningGroup::prunable).orElse(false),
        own.map(PruningGroup::prunable).orElse(false) ? null : reason,
        own.map(PruningGroup::name).orElse(null),
        own.map(PruningGroup::members).orElse(null),
        own.map(PruningGroup::consumers).orElse(null));
  }

  /** A loss layer without a declared width outputs what it gets. */
  private static InputType lossOutput(Layer conf, InputType in, InputType out) {
    boolean loss = conf instanceof LossLayer || conf instanceof CnnLossLayer;
    return loss && out != null && out.arrayElementsPerExample() <= 0 ? in : out;
  }

  static String kind(Layer conf) {
    if (conf instanceof Deconvolution2D) {
      return "Deconvolution";
    } else if (conf instanceof DepthwiseConvolution2D) {
      return "DepthwiseConvolution";
    } else if (conf instanceof SeparableConvolution2D) {
      return "SeparableConvolution";
    } else if (conf instanceof ConvolutionLayer) {
      return "Convolution";
    } else if (conf instanceof BaseOutputLayer || conf instanceof LossLayer) {
      return "Output";
    } else if (conf instanceof DenseLayer) {
      return "Dense";
    } else if (conf instanceof SubsamplingLayer) {
      return "Subsampling";
    } else if (conf instanceof BatchNormalization) {
      return "BatchNormalization";
    } else if (conf instanceof ActivationLayer) {
      return "Activation";
    } else if (conf instanceof DropoutLayer) {
      return "Dropout";
    } else if (conf instanceof GlobalPoolingLayer) {
      return "GlobalPooling";
    }
    String simple = conf.getClass().getSimpleName();
    return simple.endsWith("Layer") ? simple.substring(0, simple.length() - 5) : simple;
  }

  /**
   * 2 × multiply-adds. A convolution does one multiply-add per weight per output position (a
   * transposed one per input position); a separable one adds its pointwise weights likewise.
   */
  private static long flops(
      Layer conf, org.deeplearning4j.nn.api.Layer layer, InputType in, InputType out) {
    if (conf instanceof ConvolutionLayer) {
      long positions = positions(conf instanceof Deconvolution2D ? in : out);
      long weights = length(layer.getParam("W")) + length(layer.getParam("pW"));
      return 2 * weights * positions;
    }
    if (conf instanceof DenseLayer || conf instanceof BaseOutputLayer) {
      return 2 * length(layer.getParam("W"));
    }
    return 0;
  }

  /** Spatial (or time) positions of one image's activation: all dimensions but channels. */
  private static long positions(InputType type) {
    long[] shape = type.getShape(false);
    return Arrays.stream(shape, 1, shape.length).reduce(1, (a, b) -> a * b);
  }

  private static long length(INDArray param) {
    return param == null ? 0 : param.length();
  }

  private static List<Long> shape(InputType type) {
    return type == null ? List.of() : Arrays.stream(type.getShape(false)).boxed().toList();
  }
}
