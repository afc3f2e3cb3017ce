package org.cnnsimplifier.engine.model.onnx;

import java.util.List;
import onnx.Onnx;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The ONNX nodes with weights or a sliding window, as DL4J layers with their parameters: Conv
 * (plain and depthwise), ConvTranspose, BatchNormalization, MaxPool, AveragePool, the global
 * poolings, Pad, PRelu, Gemm and MatMul (+ Add). Asymmetric padding becomes a zero-padding layer in
 * front; weights are copied into DL4J's layouts.
 */
final class LayerOps {
  private final OnnxConverter c;

  LayerOps(OnnxConverter converter) {
    this.c = converter;
  }

  void conv(Onnx.NodeProto node) {
    Value x = spatialInput(node);
    Constant w = c.constant(node, 1, true);
    Constant b = c.constant(node, 2, false);
    Attributes a = new Attributes(node);
    if (w.rank() != 4) {
      throw OnnxConverter.refuse(node, "only 2D convolutions are supported");
    }
    long outChannels = w.dims()[0];
    long inChannels = x.channels();
    long group = a.integer("group", 1);
    boolean depthwise = group > 1 && group == inChannels && w.dims()[1] == 1;
    if (group == 1 && w.dims()[1] != inChannels) {
      throw OnnxConverter.refuse(
          node, "its weight takes " + w.dims()[1] + " channels but the input has " + inChannels);
    }
    if (group != 1 && !(depthwise && outChannels % inChannels == 0)) {
      throw OnnxConverter.refuse(
          node,
          "grouped convolution (group=" + group + ") is not supported; only group=1 and depthwise");
    }
    int[] kernel = kernel(a, w, node);
    Window window = Window.of(a, kernel, x.height(), x.width(), where(node));
    String name = c.names.of(node, node.getInput(1));
    Value in = window.symmetric() ? x : zeroPad(name + "_pad", x, window.pads(), false);
    if (!window.symmetric()) {
      window = window.unpadded();
    }
    long[] dims = {
      outChannels, window.out(in.height(), 0, false), window.out(in.width(), 1, false)
    };
    ImportedGraph.Vertex vertex;
    if (depthwise) {
      int multiplier = (int) (outChannels / inChannels);
      DepthwiseConvolution2D layer =
          windowed(
                  new DepthwiseConvolution2D.Builder(kernel[0], kernel[1]),
                  window,
                  inChannels,
                  outChannels,
                  b != null,
                  name)
              .depthMultiplier(multiplier)
              .dataFormat(CNN2DFormat.NCHW)
              .build();
      vertex = c.graph.add(name, layer, List.of(in.vertex()));
      // ONNX [C·m, 1, kH, kW] (output o = c·m + j) -> DL4J [kH, kW, C, m].
      INDArray weights =
          w.array()
              .reshape('c', inChannels, multiplier, kernel[0], kernel[1])
              .permute(2, 3, 0, 1)
              .dup('c');
      vertex.params.put("W", weights);
    } else {
      ConvolutionLayer layer =
          windowed(
                  new ConvolutionLayer.Builder(kernel[0], kernel[1]),
                  window,
                  inChannels,
                  outChannels,
                  b != null,
                  name)
              .dataFormat(CNN2DFormat.NCHW)
              .build();
      vertex = c.graph.add(name, layer, List.of(in.vertex()));
      vertex.params.put("W", w.array());
    }
    if (b != null) {
      vertex.params.put("b", b.array());
    }
    c.values.put(node.getOutput(0), x.at(name, dims, false));
  }

  void convTranspose(Onnx.NodeProto node) {
    Value x = spatialInput(node);
    Constant w = c.constant(node, 1, true);
    Constant b = c.constant(node, 2, false);
    Attributes a = new Attributes(node);
    if (w.rank() != 4 || a.integer("group", 1) != 1) {
      throw OnnxConverter.refuse(
          node, "only 2D transposed convolutions with group=1 are supported");
    }
    if (w.dims()[0] != x.channels()) {
      throw OnnxConverter.refuse(
          node, "its weight takes " + w.dims()[0] + " channels but the input has " + x.channels());
    }
    String autoPad = a.text("auto_pad", "NOTSET");
    long[] outputPadding = a.integers("output_padding", new long[] {0, 0});
    if (!(autoPad.equals("NOTSET") || autoPad.equals("VALID"))
        || outputPadding[0] != 0
        || outputPadding[1] != 0
        || a.has("output_shape")) {
      throw OnnxConverter.refuse(
          node,
          "only explicit symmetric pads are supported (no auto_pad, output_padding, output_shape)");
    }
    int[] kernel = kernel(a, w, node);
    Window window = Window.of(a, kernel, x.height(), x.width(), where(node));
    if (!window.symmetric()) {
      throw OnnxConverter.refuse(
          node, "asymmetric pads are not supported on a transposed convolution");
    }
    long outChannels = w.dims()[1];
    long[] dims = {
      outChannels,
      (x.height() - 1) * window.strides()[0] + window.effective(0) - 2L * window.pads()[0],
      (x.width() - 1) * window.strides()[1] + window.effective(1) - 2L * window.pads()[1]
    };
    String name = c.names.of(node, node.getInput(1));
    Deconvolution2D layer =
        windowed(
                new Deconvolution2D.Builder(kernel[0], kernel[1]),
                window,
                x.channels(),
                outChannels,
                b != null,
                name)
            .dataFormat(CNN2DFormat.NCHW)
            .build();
    ImportedGraph.Vertex vertex = c.graph.add(name, layer, List.of(x.vertex()));
    vertex.params.put("W", w.array());
    if (b != null) {
      vertex.params.put("b", b.array());
    }
    c.values.put(node.getOutput(0), x.at(name, dims, false));
  }

  void batchNorm(Onnx.NodeProto node) {
    Value x = c.input(node, 0);
    Attributes a = new Attributes(node);
    if (a.integer("training_mode", 0) != 0 || usesExtraOutputs(node)) {
      throw OnnxConverter.refuse(
          node, "it is in training mode; export the model in inference mode");
    }
    long channels = x.dims()[0];
    String name = c.names.of(node, node.getInput(1));
    BatchNormalization layer =
        new BatchNormalization.Builder()
            .nIn(channels)
            .nOut(channels)
            .eps(a.real("epsilon", 1e-5f))
            .decay(a.real("momentum", 0.9f))
            .useLogStd(false)
            .name(name)
            .build();
    ImportedGraph.Vertex vertex = c.graph.add(name, layer, List.of(x.vertex()));
    String[] keys = {"gamma", "beta", "mean", "var"};
    for (int i = 0; i < keys.length; i++) {
      Constant p = c.constant(node, i + 1, true);
      if (p.size() != channels) {
        throw OnnxConverter.refuse(
            node, "its " + keys[i] + " has " + p.size() + " values for " + channels + " channels");
      }
      vertex.params.put(keys[i], p.array());
    }
    c.values.put(node.getOutput(0), x.at(name, x.dims(), false));
  }

  void pool(Onnx.NodeProto node) {
    Value x = spatialInput(node);
    Attributes a = new Attributes(node);
    boolean max = node.getOpType().equals("MaxPool");
    if (node.getOutputCount() > 1 && !node.getOutput(1).isEmpty()) {
      throw OnnxConverter.refuse(node, "its Indices output is not supported");
    }
    int[] kernel =
        Window.ints(a.integers("kernel_shape", new long[0]), where(node), "kernel_shape");
    Window window = Window.of(a, kernel, x.height(), x.width(), where(node));
    if (window.dilations()[0] != 1 || window.dilations()[1] != 1) {
      throw OnnxConverter.refuse(node, "dilated pooling is not supported");
    }
    boolean ceil = a.integer("ceil_mode", 0) != 0;
    boolean includePad = a.integer("count_include_pad", 0) != 0;
    // Ceil mode is floor mode with extra padding at the end.
    long outH = window.out(x.height(), 0, ceil);
    long outW = window.out(x.width(), 1, ceil);
    int extraH = window.ceilExtra(x.height(), outH, 0);
    int extraW = window.ceilExtra(x.width(), outW, 1);
    Window padded = window.padEnd(extraH, extraW);
    String name = c.names.of(node, null);
    Value in = x;
    if (!padded.symmetric()) {
      // Zero padding equals the pooling's own padding for a max over values >= 0, and for an
      // average that counts padded cells; then the pooling itself is unpadded.
      boolean exact = max ? x.nonNegative() : includePad && extraH == 0 && extraW == 0;
      if (!exact) {
        throw OnnxConverter.refuse(
            node,
            (ceil ? "ceil_mode" : "asymmetric pads")
                + " cannot be imported exactly here"
                + (max ? " (its input may be negative)" : " (padding not counted)"));
      }
      in = zeroPad(name + "_pad", x, padded.pads(), x.nonNegative());
      padded = padded.unpadded();
    }
    SubsamplingLayer layer =
        new SubsamplingLayer.Builder(max ? PoolingType.MAX : PoolingType.AVG)
            .kernelSize(kernel[0], kernel[1])
            .stride(padded.strides()[0], padded.strides()[1])
            .padding(padded.pads()[0], padded.pads()[1])
            .avgPoolIncludePadInDivisor(includePad)
            .convolutionMode(ConvolutionMode.Truncate)
            .dataFormat(CNN2DFormat.NCHW)
            .name(name)
            .build();
    c.graph.add(name, layer, List.of(in.vertex()));
    c.values.put(
        node.getOutput(0), x.at(name, new long[] {x.channels(), outH, outW}, x.nonNegative()));
  }

  void globalPool(Onnx.NodeProto node) {
    Value x = spatialInput(node);
    boolean max = node.getOpType().equals("GlobalMaxPool");
    String name = c.names.of(node, null);
    GlobalPoolingLayer layer =
        new GlobalPoolingLayer.Builder(max ? PoolingType.MAX : PoolingType.AVG)
            .collapseDimensions(true)
            .name(name)
            .build();
    c.graph.add(name, layer, List.of(x.vertex()));
    // [C, 1, 1] in ONNX; DL4J gives [C], which is what the Flatten after it makes anyway.
    c.values.put(
        node.getOutput(0),
        x.at(name, new long[] {x.channels(), 1, 1}, x.nonNegative()).flattened());
  }

  void pad(Onnx.NodeProto node) {
    Value x = spatialInput(node);
    Attributes a = new Attributes(node);
    String mode = a.text("mode", "constant");
    Constant padsInput = c.constant(node, 1, false);
    long[] pads = padsInput != null ? padsInput.longs() : a.integers("pads", new long[8]);
    Constant value = c.constant(node, 2, false);
    double fill = value != null ? value.scalar() : a.real("value", 0);
    if (!mode.equals("constant") || fill != 0 || pads.length != 8) {
      throw OnnxConverter.refuse(node, "only zero padding of the height and width is supported");
    }
    if (pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0) {
      throw OnnxConverter.refuse(node, "padding the batch or channel axis is not supported");
    }
    for (long p : pads) {
      if (p < 0) {
        throw OnnxConverter.refuse(node, "negative pads (cropping) are not supported");
      }
    }
    if (pads[2] + pads[3] + pads[6] + pads[7] == 0) {
      c.values.put(node.getOutput(0), x);
      return;
    }
    int[] trbl = {(int) pads[2], (int) pads[3], (int) pads[6], (int) pads[7]};
    Value out = zeroPad(NodeNames.base(node, null), x, trbl, x.nonNegative());
    c.values.put(node.getOutput(0), out);
  }

  void prelu(Onnx.NodeProto node) {
    Value x = c.input(node, 0);
    Constant slope = c.constant(node, 1, true);
    String name = c.names.of(node, null);
    PReLULayer.Builder builder = new PReLULayer.Builder().inputShape(x.dims()).name(name);
    if (slope.size() == 1) {
      builder.sharedAxes(x.isSpatial() ? new long[] {1, 2, 3} : new long[] {1});
    } else if (x.isSpatial() && slope.size() == x.channels() && slope.dims()[0] == x.channels()) {
      builder.sharedAxes(2, 3);
    } else if (!x.isSpatial() && slope.size() == x.dims()[0]) {
      // One slope per feature: nothing shared.
    } else {
      throw OnnxConverter.refuse(
          node,
          "a slope of shape " + java.util.Arrays.toString(slope.dims()) + " is not supported");
    }
    ImportedGraph.Vertex vertex = c.graph.add(name, builder.build(), List.of(x.vertex()));
    vertex.params.put("W", slope.array());
    c.values.put(node.getOutput(0), x.at(name, x.dims(), false));
  }

  void gemm(Onnx.NodeProto node) {
    Value x = flatInput(node);
    Constant b = c.constant(node, 1, true);
    Constant bias = c.constant(node, 2, false);
    Attributes a = new Attributes(node);
    if (a.integer("transA", 0) != 0) {
      throw OnnxConverter.refuse(node, "transA=1 is not supported");
    }
    INDArray weights = b.array();
    if (b.rank() != 2) {
      throw OnnxConverter.refuse(node, "its weight must be a matrix");
    }
    if (a.integer("transB", 0) != 0) {
      weights = weights.transpose().dup('c');
    }
    weights.muli(a.real("alpha", 1));
    ImportedGraph.Vertex vertex = dense(node, x, weights, bias != null);
    if (bias != null) {
      long units = weights.size(1);
      INDArray vector =
          bias.size() == 1
              ? org.nd4j.linalg.factory.Nd4j.valueArrayOf(units, (float) bias.scalar())
              : bias.array();
      if (vector.length() != units) {
        throw OnnxConverter.refuse(
            node, "its bias C has " + bias.size() + " values for " + units + " units");
      }
      vertex.params.put("b", vector.reshape(units).muli(a.real("beta", 1)));
    }
  }

  void matMul(Onnx.NodeProto node) {
    Value x = flatInput(node);
    Constant w = c.constant(node, 1, true);
    if (w.rank() != 2) {
      throw OnnxConverter.refuse(node, "only a [features, units] constant weight is supported");
    }
    dense(node, x, w.array(), false);
  }

  /** Turns {@code Add(matMulOutput, bias)} into the bias of the MatMul's dense layer. */
  boolean addBias(Onnx.NodeProto add, Value x, Constant bias) {
    ImportedGraph.Vertex vertex = c.graph.vertex(x.vertex());
    if (vertex == null
        || !(vertex.conf instanceof DenseLayer dense)
        || dense.hasBias()
        || x.isSpatial()
        || bias.size() != dense.getNOut()
        || c.graph.readers(vertex.name) > 0) {
      return false;
    }
    dense.setHasBias(true);
    vertex.params.put("b", bias.array().reshape(dense.getNOut()));
    c.values.put(add.getOutput(0), x);
    return true;
  }

  private ImportedGraph.Vertex dense(Onnx.NodeProto node, Value x, INDArray weights, boolean bias) {
    if (weights.size(0) != x.size()) {
      throw OnnxConverter.refuse(
          node, "its weight takes " + weights.size(0) + " features but the input has " + x.size());
    }
    String name = c.names.of(node, node.getInput(1));
    DenseLayer layer =
        new DenseLayer.Builder()
            .nIn(weights.size(0))
            .nOut(weights.size(1))
            .hasBias(bias)
            .activation(Activation.IDENTITY)
            .name(name)
            .build();
    ImportedGraph.Vertex vertex = c.graph.add(name, layer, List.of(x.vertex()));
    vertex.params.put("W", weights);
    c.values.put(node.getOutput(0), x.at(name, new long[] {weights.size(1)}, false));
    return vertex;
  }

  private Value zeroPad(String base, Value x, int[] trbl, boolean nonNegative) {
    String name = c.names.unique(base);
    ZeroPaddingLayer layer =
        new ZeroPaddingLayer.Builder(trbl[0], trbl[2], trbl[1], trbl[3])
            .dataFormat(CNN2DFormat.NCHW)
            .name(name)
            .build();
    c.graph.add(name, layer, List.of(x.vertex()));
    return x.at(
        name,
        new long[] {x.channels(), x.height() + trbl[0] + trbl[2], x.width() + trbl[1] + trbl[3]},
        nonNegative);
  }

  /** The builder with the window's strides, padding and dilations, linear, in Truncate mode. */
  private static <T extends ConvolutionLayer.BaseConvBuilder<T>> T windowed(
      T builder, Window window, long in, long out, boolean bias, String name) {
    return builder
        .stride(window.strides())
        .padding(window.pads()[0], window.pads()[1])
        .dilation(window.dilations())
        .convolutionMode(ConvolutionMode.Truncate)
        .hasBias(bias)
        .nIn(in)
        .nOut(out)
        .activation(Activation.IDENTITY)
        .name(name);
  }

  private int[] kernel(Attributes a, Constant w, Onnx.NodeProto node) {
    long[] shape = a.integers("kernel_shape", new long[] {w.dims()[2], w.dims()[3]});
    if (shape[0] != w.dims()[2] || shape[1] != w.dims()[3]) {
      throw OnnxConverter.refuse(node, "kernel_shape does not match its weight");
    }
    return Window.ints(shape, where(node), "kernel_shape");
  }

  private Value spatialInput(Onnx.NodeProto node) {
    Value x = c.input(node, 0);
    if (!x.isSpatial()) {
      throw OnnxConverter.refuse(node, "it needs feature maps but gets " + x.describe());
    }
    return x;
  }

  private Value flatInput(Onnx.NodeProto node) {
    Value x = c.input(node, 0);
    if (x.isSpatial()) {
      throw OnnxConverter.refuse(node, "it needs flattened features but gets " + x.describe());
    }
    return x;
  }

  private boolean usesExtraOutputs(Onnx.NodeProto node) {
    return node.getOutputCount() > 1
        && node.getOutputList().subList(1, node.getOutputCount()).stream()
            .anyMatch(o -> !o.isEmpty());
  }

  private static String where(Onnx.NodeProto node) {
    return "node '" + node.getName() + "' (" + node.getOpType() + ")";
  }
}
