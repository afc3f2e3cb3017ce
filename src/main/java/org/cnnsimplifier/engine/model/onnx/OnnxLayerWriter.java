package org.cnnsimplifier.engine.model.onnx;

import static org.cnnsimplifier.engine.model.onnx.OnnxGraphWriter.integer;
import static org.cnnsimplifier.engine.model.onnx.OnnxGraphWriter.ints;
import static org.cnnsimplifier.engine.model.onnx.OnnxGraphWriter.real;

import java.util.ArrayList;
import java.util.List;
import onnx.Onnx;
import org.cnnsimplifier.engine.InvalidModelException;
import org.cnnsimplifier.engine.model.ExportableLayers;
import org.cnnsimplifier.engine.model.HardSigmoidActivation;
import org.cnnsimplifier.engine.model.HardSwishActivation;
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
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationHardTanH;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftSign;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationSwish;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One DL4J layer or vertex as ONNX nodes: the operator itself, then its activation. Layers without
 * an ONNX counterpart are refused, naming the layer.
 */
final class OnnxLayerWriter {
  private final OnnxGraphWriter g;
  private final NetworkSteps network;
  private final boolean logits;

  OnnxLayerWriter(OnnxGraphWriter graph, NetworkSteps network, boolean logits) {
    this.g = graph;
    this.network = network;
    this.logits = logits;
  }

  void write(NetworkSteps.Step step) {
    String out = step.name().equals(network.output()) ? "output" : g.fresh(step.name());
    List<String> inputs = new ArrayList<>();
    for (String input : step.inputs()) {
      inputs.add(g.tensor(input));
    }
    if (step.preProcessor() != null) {
      inputs.set(0, preprocess(step, step.preProcessor(), inputs.get(0)));
    }
    Object conf = step.conf();
    if (conf instanceof PreprocessorVertex vertex) {
      g.node(
          "Identity",
          step.name(),
          List.of(preprocess(step, vertex.getPreProcessor(), inputs.get(0))),
          out);
    } else if (conf instanceof ElementWiseVertex vertex) {
      elementWise(step, vertex, inputs, out);
    } else if (conf instanceof MergeVertex) {
      g.node("Concat", step.name(), inputs, out, integer("axis", 1));
    } else if (conf instanceof Layer layer) {
      layer(step, layer, inputs.get(0), out);
    } else {
      throw refuse(step, "the vertex has no ONNX counterpart");
    }
    g.rename(step.name(), out);
  }

  private void layer(NetworkSteps.Step step, Layer layer, String in, String out) {
    IActivation activation = LayerActivations.of(layer);
    boolean isOutput = step.name().equals(network.output());
    if (isOutput && logits && activation instanceof ActivationSoftmax) {
      activation = null; // the original model's output: logits
    }
    boolean hasActivation = activation != null && !(activation instanceof ActivationIdentity);
    if (layer instanceof LossLayer || layer instanceof ActivationLayer) {
      if (hasActivation) {
        activation(step, activation, in, out);
      } else {
        g.node("Identity", step.name(), List.of(in), out);
      }
      return;
    }
    String pre = hasActivation ? g.fresh(step.name() + "_linear") : out;
    if (layer instanceof DepthwiseConvolution2D conv) {
      depthwise(step, conv, in, pre);
    } else if (layer instanceof Deconvolution2D deconv) {
      deconvolution(step, deconv, in, pre);
    } else if (layer.getClass() == ConvolutionLayer.class
        || layer.getClass() == org.deeplearning4j.nn.conf.layers.Convolution2D.class) {
      convolution(step, (ConvolutionLayer) layer, in, pre);
    } else if (layer instanceof BatchNormalization bn) {
      batchNorm(step, bn, in, pre);
    } else if (layer instanceof SubsamplingLayer pool
        && layer.getClass() == SubsamplingLayer.class) {
      pool(step, pool, in, pre);
    } else if (layer instanceof GlobalPoolingLayer pool) {
      globalPool(step, pool, in, pre);
    } else if (layer instanceof ZeroPaddingLayer pad) {
      int[] p = pad.getPadding();
      String pads = g.int64s(step.name() + "_pads", 0, 0, p[0], p[2], 0, 0, p[1], p[3]);
      g.node("Pad", step.name(), List.of(in, pads), pre);
    } else if (layer instanceof DenseLayer || layer instanceof OutputLayer) {
      dense(step, (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) layer, in, pre);
    } else if (layer instanceof DropoutLayer dropout) {
      if (dropout.getIDropout() instanceof Dropout d && d.getP() < 1) {
        String ratio = g.scalar(step.name() + "_ratio", (float) (1 - d.getP()));
        g.node("Dropout", step.name(), List.of(in, ratio), pre);
      } else {
        g.node("Identity", step.name(), List.of(in), pre);
      }
    } else if (layer instanceof PReLULayer) {
      String slope = g.initializer(step.name() + ".weight", step.params().get("W"));
      g.node("PRelu", step.name(), List.of(in, slope), pre);
    } else {
      throw refuse(step, "the layer has no ONNX counterpart here");
    }
    if (hasActivation) {
      activation(step, activation, pre, out);
    }
  }

  private void convolution(NetworkSteps.Step step, ConvolutionLayer conv, String in, String out) {
    checkNchw(step, conv.getCnn2dDataFormat());
    List<String> inputs =
        new ArrayList<>(
            List.of(in, g.initializer(step.name() + ".weight", step.params().get("W"))));
    if (conv.hasBias()) {
      inputs.add(g.initializer(step.name() + ".bias", step.params().get("b").reshape(-1)));
    }
    g.node(
        "Conv",
        step.name(),
        inputs,
        out,
        window(
                step,
                conv.getKernelSize(),
                conv.getStride(),
                conv.getDilation(),
                conv.getPadding(),
                conv.getConvolutionMode())
            .toArray(Onnx.AttributeProto[]::new));
  }

  private void depthwise(
      NetworkSteps.Step step, DepthwiseConvolution2D conv, String in, String out) {
    checkNchw(step, conv.getCnn2dDataFormat());
    INDArray w = step.params().get("W"); // [kH, kW, C, m]
    long[] s = w.shape();
    INDArray onnx = w.permute(2, 3, 0, 1).dup('c').reshape('c', s[2] * s[3], 1, s[0], s[1]);
    List<String> inputs =
        new ArrayList<>(List.of(in, g.initializer(step.name() + ".weight", onnx)));
    if (conv.hasBias()) {
      inputs.add(g.initializer(step.name() + ".bias", step.params().get("b").reshape(-1)));
    }
    List<Onnx.AttributeProto> attributes =
        new ArrayList<>(
            window(
                step,
                conv.getKernelSize(),
                conv.getStride(),
                conv.getDilation(),
                conv.getPadding(),
                conv.getConvolutionMode()));
    attributes.add(integer("group", s[2]));
    g.node("Conv", step.name(), inputs, out, attributes.toArray(Onnx.AttributeProto[]::new));
  }

  private void deconvolution(
      NetworkSteps.Step step, Deconvolution2D deconv, String in, String out) {
    checkNchw(step, deconv.getCnn2dDataFormat());
    if (deconv.getConvolutionMode() == ConvolutionMode.Same
        || deconv.getConvolutionMode() == ConvolutionMode.Causal) {
      throw refuse(
          step,
          "a transposed convolution in "
              + deconv.getConvolutionMode()
              + " mode has no exact ONNX form here");
    }
    List<String> inputs =
        new ArrayList<>(
            List.of(in, g.initializer(step.name() + ".weight", step.params().get("W"))));
    if (deconv.hasBias()) {
      inputs.add(g.initializer(step.name() + ".bias", step.params().get("b").reshape(-1)));
    }
    int[] p = deconv.getPadding();
    g.node(
        "ConvTranspose",
        step.name(),
        inputs,
        out,
        ints("kernel_shape", deconv.getKernelSize()[0], deconv.getKernelSize()[1]),
        ints("strides", deconv.getStride()[0], deconv.getStride()[1]),
        ints("dilations", deconv.getDilation()[0], deconv.getDilation()[1]),
        ints("pads", p[0], p[1], p[0], p[1]));
  }

  private void batchNorm(NetworkSteps.Step step, BatchNormalization bn, String in, String out) {
    ExportableLayers.BatchNormValues v = ExportableLayers.batchNorm(bn, step.params());
    g.node(
        "BatchNormalization",
        step.name(),
        List.of(
            in,
            g.initializer(step.name() + ".weight", v.gamma()),
            g.initializer(step.name() + ".bias", v.beta()),
            g.initializer(step.name() + ".running_mean", v.mean()),
            g.initializer(step.name() + ".running_var", v.variance())),
        out,
        real("epsilon", (float) bn.getEps()),
        real("momentum", (float) bn.getDecay()));
  }

  private void pool(NetworkSteps.Step step, SubsamplingLayer pool, String in, String out) {
    checkNchw(step, pool.getCnn2dDataFormat());
    ExportableLayers.poolingRefusal(pool)
        .ifPresent(
            why -> {
              throw refuse(step, why);
            });
    PoolingType type = pool.getPoolingType();
    List<Onnx.AttributeProto> attributes =
        new ArrayList<>(
            window(
                step,
                pool.getKernelSize(),
                pool.getStride(),
                new int[] {1, 1},
                pool.getPadding(),
                pool.getConvolutionMode()));
    attributes.removeIf(a -> a.getName().equals("dilations"));
    if (type == PoolingType.AVG) {
      attributes.add(integer("count_include_pad", pool.isAvgPoolIncludePadInDivisor() ? 1 : 0));
    }
    g.node(
        type == PoolingType.MAX ? "MaxPool" : "AveragePool",
        step.name(),
        List.of(in),
        out,
        attributes.toArray(Onnx.AttributeProto[]::new));
  }

  private void globalPool(NetworkSteps.Step step, GlobalPoolingLayer pool, String in, String out) {
    PoolingType type = pool.getPoolingType();
    if ((type != PoolingType.MAX && type != PoolingType.AVG)
        || !(step.inputType() instanceof InputType.InputTypeConvolutional)) {
      throw refuse(step, "only average or max pooling over feature maps has an ONNX counterpart");
    }
    String op = type == PoolingType.MAX ? "GlobalMaxPool" : "GlobalAveragePool";
    if (pool.isCollapseDimensions()) {
      String pooled = g.fresh(step.name() + "_pooled");
      g.node(op, step.name(), List.of(in), pooled);
      g.node("Flatten", step.name(), List.of(pooled), out, integer("axis", 1));
    } else {
      g.node(op, step.name(), List.of(in), out);
    }
  }

  private void dense(
      NetworkSteps.Step step,
      org.deeplearning4j.nn.conf.layers.FeedForwardLayer layer,
      String in,
      String out) {
    INDArray weight = step.params().get("W").transpose(); // ONNX/PyTorch: [units, features]
    List<String> inputs =
        new ArrayList<>(List.of(in, g.initializer(step.name() + ".weight", weight)));
    boolean bias =
        layer instanceof DenseLayer d ? d.hasBias() : ((BaseOutputLayer) layer).hasBias();
    if (bias) {
      inputs.add(g.initializer(step.name() + ".bias", step.params().get("b").reshape(-1)));
    }
    g.node(
        "Gemm", step.name(), inputs, out, real("alpha", 1), real("beta", 1), integer("transB", 1));
  }

  private void elementWise(
      NetworkSteps.Step step, ElementWiseVertex vertex, List<String> inputs, String out) {
    boolean two = inputs.size() == 2;
    String op =
        switch (vertex.getOp()) {
          case Add -> two ? "Add" : "Sum";
          case Subtract -> two ? "Sub" : null;
          case Product -> two ? "Mul" : null;
          case Average -> "Mean";
          case Max -> "Max";
        };
    if (op == null) {
      throw refuse(step, vertex.getOp() + " of " + inputs.size() + " inputs is not supported");
    }
    g.node(op, step.name(), inputs, out);
  }

  private String preprocess(NetworkSteps.Step step, InputPreProcessor pre, String in) {
    if (pre instanceof CnnToFeedForwardPreProcessor flatten
        && flatten.getFormat() == CNN2DFormat.NCHW) {
      String flat = g.fresh(step.name() + "_flat");
      g.node("Flatten", step.name(), List.of(in), flat, integer("axis", 1));
      return flat;
    }
    throw refuse(
        step,
        "its input preprocessor " + pre.getClass().getSimpleName() + " has no ONNX counterpart");
  }

  private void activation(NetworkSteps.Step step, IActivation fn, String in, String out) {
    String name = step.name();
    if (fn instanceof ActivationReLU relu) {
      boolean plainSlope = relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0;
      boolean plainThreshold = relu.getThreshold() == null || relu.getThreshold() == 0;
      if (!plainThreshold) {
        throw refuse(step, "a ReLU with a threshold has no ONNX counterpart");
      }
      if (!plainSlope) {
        if (relu.getMax() != null) {
          throw refuse(step, "a leaky ReLU with a maximum has no ONNX counterpart");
        }
        g.node(
            "LeakyRelu",
            name,
            List.of(in),
            out,
            real("alpha", relu.getNegativeSlope().floatValue()));
      } else if (relu.getMax() != null) {
        clip(name, in, out, 0, relu.getMax().floatValue());
      } else {
        g.node("Relu", name, List.of(in), out);
      }
    } else if (fn instanceof ActivationReLU6) {
      clip(name, in, out, 0, 6);
    } else if (fn instanceof ActivationHardTanH) {
      clip(name, in, out, -1, 1);
    } else if (fn instanceof ActivationLReLU leaky) {
      g.node("LeakyRelu", name, List.of(in), out, real("alpha", (float) leaky.getAlpha()));
    } else if (fn instanceof ActivationSigmoid) {
      g.node("Sigmoid", name, List.of(in), out);
    } else if (fn instanceof ActivationTanH) {
      g.node("Tanh", name, List.of(in), out);
    } else if (fn instanceof ActivationHardSigmoid) {
      g.node("HardSigmoid", name, List.of(in), out, real("alpha", 0.2f), real("beta", 0.5f));
    } else if (fn instanceof HardSigmoidActivation h) {
      g.node(
          "HardSigmoid",
          name,
          List.of(in),
          out,
          real("alpha", (float) h.alpha()),
          real("beta", (float) h.beta()));
    } else if (fn instanceof HardSwishActivation) {
      // HardSwish is an operator from opset 14; x · HardSigmoid(x) is the same in opset 13.
      gated(name, in, out, "HardSigmoid", real("alpha", 1f / 6), real("beta", 0.5f));
    } else if (fn instanceof ActivationSwish) {
      gated(name, in, out, "Sigmoid");
    } else if (fn instanceof ActivationELU elu) {
      g.node("Elu", name, List.of(in), out, real("alpha", (float) elu.getAlpha()));
    } else if (fn instanceof ActivationSELU) {
      g.node("Selu", name, List.of(in), out);
    } else if (fn instanceof ActivationSoftPlus) {
      g.node("Softplus", name, List.of(in), out);
    } else if (fn instanceof ActivationSoftSign) {
      g.node("Softsign", name, List.of(in), out);
    } else if (fn instanceof ActivationSoftmax
        && !(step.outputType() instanceof InputType.InputTypeConvolutional)) {
      g.node("Softmax", name, List.of(in), out, integer("axis", 1));
    } else {
      throw refuse(step, "its activation " + fn + " has no ONNX counterpart");
    }
  }

  /** {@code x · gate(x)}: the gate's node, then a Mul. */
  private void gated(String name, String in, String out, String gate, Onnx.AttributeProto... a) {
    String gated = g.fresh(name + "_gate");
    g.node(gate, name, List.of(in), gated, a);
    g.node("Mul", name, List.of(in, gated), out);
  }

  private void clip(String name, String in, String out, float min, float max) {
    g.node(
        "Clip", name, List.of(in, g.scalar(name + "_min", min), g.scalar(name + "_max", max)), out);
  }

  /** Kernel, strides, dilations and explicit pads; Same mode's padding computed from the input. */
  private List<Onnx.AttributeProto> window(
      NetworkSteps.Step step,
      int[] kernel,
      int[] stride,
      int[] dilation,
      int[] padding,
      ConvolutionMode mode) {
    int[] pads;
    if (mode == ConvolutionMode.Same) {
      InputType.InputTypeConvolutional in = (InputType.InputTypeConvolutional) step.inputType();
      pads =
          ExportableLayers.samePadding(
              new long[] {in.getHeight(), in.getWidth()}, kernel, stride, dilation);
    } else if (mode == ConvolutionMode.Causal) {
      throw refuse(step, "causal padding has no ONNX counterpart");
    } else {
      pads = new int[] {padding[0], padding[1], padding[0], padding[1]};
    }
    return List.of(
        ints("kernel_shape", kernel[0], kernel[1]),
        ints("strides", stride[0], stride[1]),
        ints("dilations", dilation[0], dilation[1]),
        ints("pads", pads[0], pads[1], pads[2], pads[3]));
  }

  private void checkNchw(NetworkSteps.Step step, CNN2DFormat format) {
    if (format != CNN2DFormat.NCHW) {
      throw refuse(step, "channels-last layers cannot be exported");
    }
  }

  private static InvalidModelException refuse(NetworkSteps.Step step, String why) {
    return new InvalidModelException(
        "layer '" + step.name() + "' (" + step.kind() + ") cannot be written as ONNX: " + why);
  }
}
