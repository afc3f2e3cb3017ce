package org.cnnsimplifier.engine.model;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.cnnsimplifier.engine.surgery.ChannelDependents;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Kind, parameters and FLOPs of one layer (see {@link ArchitectureSummary} for the counting). */
final class LayerFigures {
  private LayerFigures() {}

  static LayerSummary summarise(CnnModel model, String name, InputType in, InputType out) {
    Layer conf = model.layerConf(name);
    org.deeplearning4j.nn.api.Layer layer = model.layer(name);
    Optional<String> refusal = ArchitectureSummary.refusal(model, name);
    Integer kernels =
        conf instanceof ConvolutionLayer conv ? Math.toIntExact(conv.getNOut()) : null;
    return new LayerSummary(
        name,
        kind(conf),
        shape(in),
        shape(out),
        layer.numParams(),
        flops(conf, layer, in, out),
        kernels,
        refusal.isEmpty(),
        refusal.orElse(null));
  }

  static String kind(Layer conf) {
    if (conf instanceof Deconvolution2D) {
      return "Deconvolution";
    } else if (conf instanceof DepthwiseConvolution2D) {
      return "DepthwiseConvolution";
    } else if (conf instanceof SeparableConvolution2D) {
      return "SeparableConvolution";
    } else if (ChannelDependents.isPlainConvolution(conf)) {
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
