package org.cnnsimplifier.engine.model.keras;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cnnsimplifier.engine.InvalidModelException;
import org.cnnsimplifier.engine.model.ExportableLayers;
import org.cnnsimplifier.engine.model.LayerActivations;
import org.cnnsimplifier.engine.model.NetworkSteps;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * The Keras 2 layers (channels-last) a DL4J network (NCHW) becomes, with their weights in Keras'
 * layouts and order: convolution kernels {@code [kH, kW, in, out]}, dense kernels {@code [in, out]}
 * with the rows after a flatten reordered from channel-major to position-major, batch normalisation
 * as gamma, beta, moving mean, moving variance. DL4J's explicit paddings become {@code
 * ZeroPadding2D} layers where Keras' "same" would pad differently.
 */
final class KerasLayers {
  /** One Keras layer: its class, its config, the layers it reads and its weights in order. */
  record KerasLayer(
      String name,
      String className,
      ObjectNode config,
      List<String> inbound,
      List<Weight> weights) {}

  /** One weight: its Keras name ("kernel", "bias", …), its shape and values (c order). */
  record Weight(String name, long[] shape, float[] values) {}

  /** What a DL4J vertex's output is on the Keras side. */
  private record Tensor(String layer, long[] dims, boolean flattenedMaps, boolean nonNegative) {
    boolean isMaps() {
      return dims.length == 3;
    }
  }

  private final NetworkSteps network;
  private final KerasConfigs configs = new KerasConfigs();
  private final List<KerasLayer> layers = new ArrayList<>();
  private final Map<String, Tensor> tensors = new HashMap<>();
  private final Set<String> names = new HashSet<>();

  KerasLayers(NetworkSteps network, long channels, long height, long width) {
    this.network = network;
    String input = unique(network.input().equals("input") ? "input_1" : network.input());
    tensors.put(
        network.input(), new Tensor(input, new long[] {channels, height, width}, false, false));
    layers.add(
        new KerasLayer(
            input,
            "InputLayer",
            configs.input(input, height, width, channels),
            List.of(),
            List.of()));
  }

  List<KerasLayer> convert() {
    for (NetworkSteps.Step step : network.steps()) {
      step(step);
    }
    return layers;
  }

  String outputLayer() {
    return tensors.get(network.output()).layer();
  }

  private void step(NetworkSteps.Step step) {
    List<Tensor> inputs = step.inputs().stream().map(tensors::get).toList();
    Tensor in = inputs.get(0);
    if (step.preProcessor() != null) {
      in = flatten(step, step.preProcessor(), in);
    }
    Object conf = step.conf();
    Tensor out;
    if (conf instanceof PreprocessorVertex vertex) {
      out = flatten(step, vertex.getPreProcessor(), in);
    } else if (conf instanceof ElementWiseVertex vertex) {
      String className =
          switch (vertex.getOp()) {
            case Add -> "Add";
            case Subtract -> "Subtract";
            case Product -> "Multiply";
            case Average -> "Average";
            case Max -> "Maximum";
          };
      String name = unique(step.name());
      add(
          name,
          className,
          configs.base(name),
          inputs.stream().map(Tensor::layer).toList(),
          List.of());
      out =
          new Tensor(
              name, in.dims(), in.flattenedMaps(), inputs.stream().allMatch(Tensor::nonNegative));
    } else if (conf instanceof MergeVertex) {
      String name = unique(step.name());
      ObjectNode config = configs.base(name).put("axis", -1);
      add(name, "Concatenate", config, inputs.stream().map(Tensor::layer).toList(), List.of());
      long[] dims = in.dims().clone();
      dims[0] = inputs.stream().mapToLong(t -> t.dims()[0]).sum();
      out = new Tensor(name, dims, false, inputs.stream().allMatch(Tensor::nonNegative));
    } else if (conf instanceof Layer layer) {
      out = layer(step, layer, in);
    } else {
      throw refuse(step, "the vertex has no Keras counterpart");
    }
    tensors.put(step.name(), out);
  }

  private Tensor layer(NetworkSteps.Step step, Layer layer, Tensor in) {
    KerasConfigs.Activation activation;
    try {
      activation = configs.activation(LayerActivations.of(layer));
    } catch (IllegalArgumentException e) {
      throw refuse(step, e.getMessage());
    }
    String name = unique(step.name());
    long[] outDims = dims(step.outputType());
    if (layer instanceof DepthwiseConvolution2D
        || layer instanceof Deconvolution2D
        || layer.getClass() == ConvolutionLayer.class
        || layer.getClass() == org.deeplearning4j.nn.conf.layers.Convolution2D.class) {
      return convolution(step, (ConvolutionLayer) layer, name, in, outDims, activation);
    }
    if (layer instanceof BatchNormalization bn) {
      ExportableLayers.BatchNormValues v = ExportableLayers.batchNorm(bn, step.params());
      add(
          name,
          "BatchNormalization",
          configs.batchNorm(name, bn.getDecay(), bn.getEps()),
          List.of(in.layer()),
          List.of(
              weight("gamma", v.gamma()),
              weight("beta", v.beta()),
              weight("moving_mean", v.mean()),
              weight("moving_variance", v.variance())));
      return new Tensor(name, in.dims(), in.flattenedMaps(), false);
    }
    if (layer instanceof SubsamplingLayer pool && layer.getClass() == SubsamplingLayer.class) {
      return pool(step, pool, name, in, outDims);
    }
    if (layer instanceof GlobalPoolingLayer pool) {
      PoolingType type = pool.getPoolingType();
      if ((type != PoolingType.AVG && type != PoolingType.MAX)
          || !pool.isCollapseDimensions()
          || !in.isMaps()) {
        throw refuse(
            step,
            "only average or max pooling of feature maps to one value per channel has a Keras counterpart");
      }
      add(
          name,
          type == PoolingType.MAX ? "GlobalMaxPooling2D" : "GlobalAveragePooling2D",
          configs.withFormat(name),
          List.of(in.layer()),
          List.of());
      return new Tensor(name, new long[] {in.dims()[0]}, false, in.nonNegative());
    }
    if (layer instanceof ZeroPaddingLayer pad) {
      int[] p = pad.getPadding();
      add(
          name,
          "ZeroPadding2D",
          configs.zeroPadding(name, p[0], p[1], p[2], p[3]),
          List.of(in.layer()),
          List.of());
      return new Tensor(name, outDims, false, in.nonNegative());
    }
    if (layer instanceof DenseLayer || layer instanceof OutputLayer) {
      FeedForwardLayer dense = (FeedForwardLayer) layer;
      boolean bias =
          layer instanceof DenseLayer d ? d.hasBias() : ((BaseOutputLayer) layer).hasBias();
      INDArray kernel = step.params().get("W");
      if (in.flattenedMaps()) {
        kernel = channelsLastRows(kernel, in.dims());
      }
      List<Weight> weights = new ArrayList<>(List.of(weight("kernel", kernel)));
      if (bias) {
        weights.add(weight("bias", step.params().get("b").reshape(-1)));
      }
      add(
          name,
          "Dense",
          configs.dense(name, dense.getNOut(), bias, linearIfNeeded(activation)),
          List.of(in.layer()),
          weights);
      return activate(step, name, new long[] {dense.getNOut()}, activation);
    }
    if (layer instanceof LossLayer || layer instanceof ActivationLayer) {
      add(
          name,
          KerasConfigs.layerClass(activation),
          configs.activationLayer(name, activation),
          List.of(in.layer()),
          List.of());
      return new Tensor(name, in.dims(), in.flattenedMaps(), activation.nonNegative());
    }
    if (layer instanceof DropoutLayer dropout) {
      double rate = dropout.getIDropout() instanceof Dropout d ? 1 - d.getP() : 0;
      add(
          name,
          "Dropout",
          configs.base(name).put("rate", rate).putNull("noise_shape").putNull("seed"),
          List.of(in.layer()),
          List.of());
      return new Tensor(name, in.dims(), in.flattenedMaps(), in.nonNegative());
    }
    if (layer instanceof PReLULayer) {
      INDArray alpha = step.params().get("W");
      // DL4J [C, 1, 1] (shared over height and width) -> Keras channels-last [1, 1, C].
      INDArray keras = in.isMaps() ? alpha.permute(1, 2, 0) : alpha;
      List<Integer> shared = new ArrayList<>();
      if (in.isMaps()) {
        long[] s = alpha.shape();
        if (s[1] == 1) {
          shared.add(1);
        }
        if (s[2] == 1) {
          shared.add(2);
        }
        if (s[0] == 1) {
          shared.add(3);
        }
      }
      add(
          name,
          "PReLU",
          configs.prelu(name, shared),
          List.of(in.layer()),
          List.of(weight("alpha", keras)));
      return new Tensor(name, in.dims(), in.flattenedMaps(), false);
    }
    throw refuse(step, "the layer has no Keras counterpart here");
  }

  /** Conv2D, DepthwiseConv2D or Conv2DTranspose, after a ZeroPadding2D where Keras needs one. */
  private Tensor convolution(
      NetworkSteps.Step step,
      ConvolutionLayer conv,
      String name,
      Tensor in,
      long[] outDims,
      KerasConfigs.Activation activation) {
    checkNchw(step, conv.getCnn2dDataFormat());
    boolean depthwise = conv instanceof DepthwiseConvolution2D;
    boolean transposed = conv instanceof Deconvolution2D;
    String padding;
    if (!transposed) {
      padding =
          padding(
              step,
              conv.getConvolutionMode(),
              conv.getPadding(),
              conv.getKernelSize(),
              conv.getStride(),
              conv.getDilation(),
              in);
    } else if (conv.getConvolutionMode() == ConvolutionMode.Same) {
      padding = "same";
    } else if (conv.getPadding()[0] == 0
        && conv.getPadding()[1] == 0
        && conv.getConvolutionMode() != ConvolutionMode.Causal) {
      padding = "valid";
    } else {
      throw refuse(step, "a padded transposed convolution has no exact Keras form");
    }
    Tensor padded = "pad".equals(padding) ? zeroPad(name, in, conv.getPadding()) : in;
    String kerasPadding = "pad".equals(padding) ? "valid" : padding;
    ObjectNode config =
        depthwise
            ? configs.depthwise(
                name, (DepthwiseConvolution2D) conv, kerasPadding, linearIfNeeded(activation))
            : configs.convolution(name, conv, kerasPadding, linearIfNeeded(activation));
    if (transposed) {
      config.putNull("output_padding");
    }
    // DL4J convolution [out, in, kH, kW] -> Keras [kH, kW, in, out]; transposed [in, out, kH, kW]
    // -> Keras [kH, kW, out, in]; depthwise [kH, kW, in, multiplier] in both.
    INDArray w = step.params().get("W");
    List<Weight> weights =
        new ArrayList<>(
            List.of(
                depthwise
                    ? weight("depthwise_kernel", w)
                    : weight("kernel", w.permute(2, 3, 1, 0))));
    if (conv.hasBias()) {
      weights.add(weight("bias", step.params().get("b").reshape(-1)));
    }
    String className = depthwise ? "DepthwiseConv2D" : transposed ? "Conv2DTranspose" : "Conv2D";
    add(name, className, config, List.of(padded.layer()), weights);
    return activate(step, name, outDims, activation);
  }

  private Tensor pool(
      NetworkSteps.Step step, SubsamplingLayer pool, String name, Tensor in, long[] outDims) {
    checkNchw(step, pool.getCnn2dDataFormat());
    ExportableLayers.poolingRefusal(pool)
        .ifPresent(
            why -> {
              throw refuse(step, why);
            });
    PoolingType type = pool.getPoolingType();
    String padding =
        padding(
            step,
            pool.getConvolutionMode(),
            pool.getPadding(),
            pool.getKernelSize(),
            pool.getStride(),
            new int[] {1, 1},
            in);
    boolean max = type == PoolingType.MAX;
    Tensor padded = in;
    if ("same".equals(padding)
        && pool.getConvolutionMode() != ConvolutionMode.Same
        && !max
        && pool.isAvgPoolIncludePadInDivisor()) {
      padding = "pad"; // Keras' "same" average leaves the padding out of the count
    }
    if ("same".equals(padding)
        && pool.getConvolutionMode() == ConvolutionMode.Same
        && !max
        && pool.isAvgPoolIncludePadInDivisor()) {
      throw refuse(step, "average pooling counting its padding has no Keras counterpart");
    }
    if ("pad".equals(padding)) {
      boolean exact = max ? in.nonNegative() : pool.isAvgPoolIncludePadInDivisor();
      if (!exact) {
        throw refuse(
            step,
            "its padding has no exact Keras form" + (max ? " (its input may be negative)" : ""));
      }
      padded = zeroPad(name, in, pool.getPadding());
      padding = "valid";
    }
    add(
        name,
        max ? "MaxPooling2D" : "AveragePooling2D",
        configs.pooling(name, pool.getKernelSize(), pool.getStride(), padding),
        List.of(padded.layer()),
        List.of());
    return new Tensor(name, outDims, false, in.nonNegative());
  }

  /**
   * Keras' padding name for a DL4J window: "same", "valid", or "pad" when an explicit ZeroPadding2D
   * must come first.
   */
  private String padding(
      NetworkSteps.Step step,
      ConvolutionMode mode,
      int[] padding,
      int[] kernel,
      int[] stride,
      int[] dilation,
      Tensor in) {
    if (mode == ConvolutionMode.Causal) {
      throw refuse(step, "causal padding has no Keras counterpart");
    }
    if (mode == ConvolutionMode.Same) {
      return "same";
    }
    if (padding[0] == 0 && padding[1] == 0) {
      return "valid";
    }
    // Keras' "same" pads total/2 at the top, the rest at the bottom: equal to DL4J's symmetric
    // padding when both sides get the same.
    int[] same =
        ExportableLayers.samePadding(
            new long[] {in.dims()[1], in.dims()[2]}, kernel, stride, dilation);
    boolean equal =
        same[0] == padding[0]
            && same[2] == padding[0]
            && same[1] == padding[1]
            && same[3] == padding[1];
    return equal ? "same" : "pad";
  }

  private Tensor zeroPad(String name, Tensor in, int[] padding) {
    String pad = unique(name + "_pad");
    add(
        pad,
        "ZeroPadding2D",
        configs.zeroPadding(pad, padding[0], padding[0], padding[1], padding[1]),
        List.of(in.layer()),
        List.of());
    return new Tensor(
        pad,
        new long[] {in.dims()[0], in.dims()[1] + 2L * padding[0], in.dims()[2] + 2L * padding[1]},
        false,
        in.nonNegative());
  }

  private Tensor flatten(NetworkSteps.Step step, InputPreProcessor pre, Tensor in) {
    if (!(pre instanceof CnnToFeedForwardPreProcessor flatten)
        || flatten.getFormat() != CNN2DFormat.NCHW) {
      throw refuse(
          step,
          "its input preprocessor " + pre.getClass().getSimpleName() + " has no Keras counterpart");
    }
    String name = unique(step.name() + "_flatten");
    add(name, "Flatten", configs.withFormat(name), List.of(in.layer()), List.of());
    return new Tensor(name, in.dims(), in.isMaps(), in.nonNegative());
  }

  /** A layer's activation: inside it when Keras names it, else as a layer after it. */
  private Tensor activate(
      NetworkSteps.Step step, String layer, long[] dims, KerasConfigs.Activation activation) {
    if (activation.inline() != null) {
      return new Tensor(layer, dims, false, activation.nonNegative());
    }
    String name = unique(layer + "_activation");
    add(
        name,
        activation.layerClass(),
        configs.activationLayer(name, activation),
        List.of(layer),
        List.of());
    return new Tensor(name, dims, false, activation.nonNegative());
  }

  /** What goes into the layer's own "activation": the inline name, or linear. */
  private static String linearIfNeeded(KerasConfigs.Activation activation) {
    return activation.inline() != null ? activation.inline() : "linear";
  }

  /** NCHW-flattened rows (c·H·W + h·W + w) reordered as Keras flattens NHWC (h·W·C + w·C + c). */
  private static INDArray channelsLastRows(INDArray kernel, long[] dims) {
    int c = (int) dims[0];
    int h = (int) dims[1];
    int w = (int) dims[2];
    int[] rows = new int[c * h * w];
    for (int ci = 0; ci < c; ci++) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          rows[y * w * c + x * c + ci] = ci * h * w + y * w + x;
        }
      }
    }
    return kernel.dup().getRows(rows);
  }

  private static long[] dims(InputType type) {
    if (type instanceof InputType.InputTypeConvolutional conv) {
      return new long[] {conv.getChannels(), conv.getHeight(), conv.getWidth()};
    }
    return new long[] {type.arrayElementsPerExample()};
  }

  private static Weight weight(String name, INDArray value) {
    INDArray c = value.dup('c');
    return new Weight(name, c.shape(), c.data().asFloat());
  }

  private void add(
      String name,
      String className,
      ObjectNode config,
      List<String> inbound,
      List<Weight> weights) {
    layers.add(new KerasLayer(name, className, config, inbound, weights));
  }

  private String unique(String base) {
    String clean = base.replaceAll("[^A-Za-z0-9_.\\-]", "_");
    if (clean.isEmpty() || !Character.isLetterOrDigit(clean.charAt(0))) {
      clean = "l" + clean;
    }
    String name = clean;
    for (int i = 2; !names.add(name); i++) {
      name = clean + "_" + i;
    }
    return name;
  }

  private static void checkNchw(NetworkSteps.Step step, CNN2DFormat format) {
    if (format != CNN2DFormat.NCHW) {
      throw refuse(step, "channels-last layers cannot be exported");
    }
  }

  static InvalidModelException refuse(NetworkSteps.Step step, String why) {
    return new InvalidModelException(
        "layer '" + step.name() + "' (" + step.kind() + ") cannot be written as Keras: " + why);
  }
}
