package org.cnnsimplifier.engine.surgery;

import java.util.Map;
import java.util.Random;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.engine.runtime.NativeRuntime;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.L2NormalizeVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Small graphs with one kind of channel coupling each: residual adds, MobileNet and Xception
 * blocks, a DenseNet concatenation block, depthwise multipliers, transposed convolutions, dense
 * units, and the layers that pass channels through. Batch-norm statistics and PReLU slopes are
 * randomised so that cutting them wrongly shows.
 */
public final class GroupNets {
  public static final InputShape INPUT = new InputShape(3, 8, 8);
  public static final int CLASSES = 3;

  private GroupNets() {}

  private static GraphBuilder builder(long seed) {
    NativeRuntime.initialize();
    return new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(DataType.FLOAT)
        .convolutionMode(ConvolutionMode.Same)
        .graphBuilder()
        .addInputs("in")
        .setInputTypes(InputType.convolutional(INPUT.height(), INPUT.width(), INPUT.channels()));
  }

  private static ConvolutionLayer conv(int out, Activation activation) {
    return new ConvolutionLayer.Builder(3, 3).nOut(out).activation(activation).build();
  }

  private static BatchNormalization bn() {
    return new BatchNormalization.Builder().build();
  }

  private static ActivationLayer act(Activation activation) {
    return new ActivationLayer.Builder().activation(activation).build();
  }

  private static OutputLayer output() {
    return new OutputLayer.Builder(LossFunction.MCXENT)
        .nOut(CLASSES)
        .activation(Activation.SOFTMAX)
        .build();
  }

  private static CnnModel build(GraphBuilder builder, long seed) {
    ComputationGraph graph = new ComputationGraph(builder.build());
    graph.init();
    randomise(graph, seed);
    return CnnModel.of(graph, INPUT, ModelFormat.DL4J_ZIP);
  }

  /**
   * A stem and two residual blocks whose outputs are summed with the stem's: stem, b1 and b2 are
   * one group; a1 and a2 are groups of their own.
   */
  public static CnnModel residual(long seed, ElementWiseVertex.Op op) {
    GraphBuilder b =
        builder(seed)
            .addLayer("stem", conv(6, Activation.IDENTITY), "in")
            .addLayer("stem_bn", bn(), "stem")
            .addLayer("stem_relu", act(Activation.RELU), "stem_bn");
    String previous = "stem_relu";
    for (int i = 1; i <= 2; i++) {
      b.addLayer("a" + i, conv(4, Activation.RELU), previous)
          .addLayer("b" + i, conv(6, Activation.IDENTITY), "a" + i)
          .addLayer("b" + i + "_bn", bn(), "b" + i)
          .addVertex("add" + i, new ElementWiseVertex(op), "b" + i + "_bn", previous)
          .addLayer("relu" + i, act(Activation.RELU), "add" + i);
      previous = "relu" + i;
    }
    b.addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), previous)
        .addLayer("out", output(), "gap")
        .setOutputs("out");
    return build(b, seed);
  }

  /**
   * MobileNetV2 blocks: 1×1 expansion → depthwise (multiplier {@code m}) → 1×1 projection, with a
   * residual add around the second block.
   */
  public static CnnModel mobileNet(long seed, int multiplier) {
    GraphBuilder b =
        builder(seed)
            .addLayer("stem", conv(4, Activation.RELU6), "in")
            .addLayer(
                "expand1",
                new ConvolutionLayer.Builder(1, 1).nOut(8).activation(Activation.IDENTITY).build(),
                "stem")
            .addLayer("expand1_bn", bn(), "expand1")
            .addLayer("expand1_relu", act(Activation.RELU6), "expand1_bn")
            .addLayer(
                "dw1",
                new DepthwiseConvolution2D.Builder(3, 3)
                    .depthMultiplier(multiplier)
                    .activation(Activation.IDENTITY)
                    .build(),
                "expand1_relu")
            .addLayer("dw1_bn", bn(), "dw1")
            .addLayer("dw1_relu", act(Activation.RELU6), "dw1_bn")
            .addLayer(
                "project1",
                new ConvolutionLayer.Builder(1, 1).nOut(5).activation(Activation.IDENTITY).build(),
                "dw1_relu")
            .addLayer("project1_bn", bn(), "project1")
            .addLayer(
                "expand2",
                new ConvolutionLayer.Builder(1, 1).nOut(7).activation(Activation.RELU6).build(),
                "project1_bn")
            .addLayer(
                "dw2",
                new DepthwiseConvolution2D.Builder(3, 3)
                    .depthMultiplier(1)
                    .activation(Activation.RELU6)
                    .build(),
                "expand2")
            .addLayer(
                "project2",
                new ConvolutionLayer.Builder(1, 1).nOut(5).activation(Activation.IDENTITY).build(),
                "dw2")
            .addLayer("project2_bn", bn(), "project2")
            .addVertex(
                "add",
                new ElementWiseVertex(ElementWiseVertex.Op.Add),
                "project2_bn",
                "project1_bn")
            .addLayer(
                "head",
                new ConvolutionLayer.Builder(1, 1).nOut(6).activation(Activation.RELU).build(),
                "add")
            .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "head")
            .addLayer("out", output(), "gap")
            .setOutputs("out");
    return build(b, seed);
  }

  /** Xception: separable convolutions (multiplier 2) with a 1×1 shortcut added to their output. */
  static CnnModel xception(long seed) {
    GraphBuilder b =
        builder(seed)
            .addLayer("stem", conv(4, Activation.TANH), "in")
            .addLayer(
                "sep1",
                new SeparableConvolution2D.Builder(3, 3)
                    .nOut(6)
                    .depthMultiplier(2)
                    .activation(Activation.RELU)
                    .build(),
                "stem")
            .addLayer(
                "sep2",
                new SeparableConvolution2D.Builder(3, 3)
                    .nOut(5)
                    .depthMultiplier(2)
                    .activation(Activation.IDENTITY)
                    .build(),
                "sep1")
            .addLayer("sep2_bn", bn(), "sep2")
            .addLayer(
                "shortcut",
                new ConvolutionLayer.Builder(1, 1).nOut(5).activation(Activation.IDENTITY).build(),
                "stem")
            .addVertex(
                "add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "sep2_bn", "shortcut")
            .addLayer("relu", act(Activation.RELU), "add")
            .addLayer(
                "sep3",
                new SeparableConvolution2D.Builder(3, 3)
                    .nOut(6)
                    .depthMultiplier(1)
                    .activation(Activation.RELU)
                    .build(),
                "relu")
            .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.MAX).build(), "sep3")
            .addLayer("out", output(), "gap")
            .setOutputs("out");
    return build(b, seed);
  }

  /**
   * A DenseNet block: each layer reads the concatenation of everything before it; a transition
   * convolution reads the last concatenation.
   */
  public static CnnModel denseNet(long seed) {
    GraphBuilder b =
        builder(seed)
            .addLayer("c0", conv(4, Activation.IDENTITY), "in")
            .addLayer("bn0", bn(), "c0")
            .addLayer("relu0", act(Activation.RELU), "bn0")
            .addLayer("c1", conv(3, Activation.RELU), "relu0")
            .addVertex("cat1", new MergeVertex(), "c0", "c1")
            .addLayer("bn1", bn(), "cat1")
            .addLayer("c2", conv(5, Activation.RELU), "bn1")
            .addVertex("cat2", new MergeVertex(), "cat1", "c2")
            .addLayer(
                "transition",
                new ConvolutionLayer.Builder(1, 1).nOut(6).activation(Activation.RELU).build(),
                "cat2")
            .addLayer(
                "pool",
                new SubsamplingLayer.Builder(PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build(),
                "transition")
            .addLayer(
                "dense",
                new DenseLayer.Builder().nOut(7).activation(Activation.RELU).build(),
                "pool")
            .addLayer("out", output(), "dense")
            .setOutputs("out");
    return build(b, seed);
  }

  /**
   * Layers that pass channels through with or without parameters: PReLU, zero padding, cropping,
   * upsampling, dropout, a scale vertex, a transposed convolution, dense units after global
   * pooling, a batch norm on dense units.
   */
  static CnnModel passThrough(long seed) {
    GraphBuilder b =
        builder(seed)
            .addLayer("c1", conv(5, Activation.IDENTITY), "in")
            .addLayer(
                "prelu",
                new PReLULayer.Builder().inputShape(5, 8, 8).sharedAxes(2, 3).build(),
                "c1")
            .addLayer("pad", new ZeroPaddingLayer.Builder(1, 1).build(), "prelu")
            .addLayer("crop", new Cropping2D.Builder(1, 1).build(), "pad")
            .addLayer(
                "pool",
                new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                "crop")
            .addLayer("up", new Upsampling2D.Builder(2).build(), "pool")
            .addLayer("drop", new DropoutLayer.Builder(0.9).build(), "up")
            .addVertex("scale", new ScaleVertex(0.5), "drop")
            .addLayer(
                "deconv",
                new Deconvolution2D.Builder(2, 2)
                    .stride(2, 2)
                    .nOut(4)
                    .activation(Activation.TANH)
                    .build(),
                "scale")
            .addLayer("c2", conv(6, Activation.RELU), "deconv")
            .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c2")
            .addLayer(
                "hidden",
                new DenseLayer.Builder().nOut(6).activation(Activation.IDENTITY).build(),
                "gap")
            .addLayer("hidden_bn", bn(), "hidden")
            .addLayer("hidden_relu", act(Activation.LEAKYRELU), "hidden_bn")
            .addLayer("out", output(), "hidden_relu")
            .setOutputs("out");
    return build(b, seed);
  }

  /** Dense units feeding an L2 normalisation (as in FaceNet): the mask zeroes the units. */
  static CnnModel normalisedEmbedding(long seed) {
    GraphBuilder b =
        builder(seed)
            .addLayer("c1", conv(4, Activation.RELU), "in")
            .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c1")
            .addLayer(
                "embedding",
                new DenseLayer.Builder().nOut(6).activation(Activation.IDENTITY).build(),
                "gap")
            .addVertex("l2", new L2NormalizeVertex(new int[] {1}, 1e-10), "embedding")
            .addLayer("out", output(), "l2")
            .setOutputs("out");
    return build(b, seed);
  }

  /** A local response normalisation after batch norm: prunable, but only checked for finiteness. */
  static CnnModel localResponse(long seed) {
    GraphBuilder b =
        builder(seed)
            .addLayer("c1", conv(5, Activation.IDENTITY), "in")
            .addLayer("bn1", bn(), "c1")
            .addLayer("lrn", new LocalResponseNormalization.Builder().build(), "bn1")
            .addLayer("c2", conv(4, Activation.RELU), "lrn")
            .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c2")
            .addLayer("out", output(), "gap")
            .setOutputs("out");
    return build(b, seed);
  }

  /** A subset vertex keeps units 0..2 of "hidden": hidden is not prunable. */
  static CnnModel subset(long seed) {
    GraphBuilder b =
        builder(seed)
            .addLayer("c1", conv(5, Activation.RELU), "in")
            .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c1")
            .addLayer(
                "hidden",
                new DenseLayer.Builder().nOut(6).activation(Activation.RELU).build(),
                "gap")
            .addVertex("first3", new SubsetVertex(0, 2), "hidden")
            .addLayer(
                "hidden2",
                new DenseLayer.Builder().nOut(4).activation(Activation.RELU).build(),
                "first3")
            .addLayer("out", output(), "hidden2")
            .setOutputs("out");
    return build(b, seed);
  }

  /** A residual add directly on the network input: the conv is coupled with the input channels. */
  static CnnModel inputResidual(long seed) {
    GraphBuilder b =
        builder(seed)
            .addLayer("c1", conv(3, Activation.IDENTITY), "in")
            .addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "c1", "in")
            .addLayer("c2", conv(4, Activation.RELU), "add")
            .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "c2")
            .addLayer("out", output(), "gap")
            .setOutputs("out");
    return build(b, seed);
  }

  /** Batch-norm statistics and PReLU slopes away from their defaults. */
  static void randomise(ComputationGraph graph, long seed) {
    Random random = new Random(seed);
    for (org.deeplearning4j.nn.api.Layer layer : graph.getLayers()) {
      Object conf = layer.conf().getLayer();
      if (!(conf instanceof BatchNormalization) && !(conf instanceof PReLULayer)) {
        continue;
      }
      for (Map.Entry<String, INDArray> param : layer.paramTable().entrySet()) {
        INDArray p = param.getValue();
        for (long i = 0; i < p.length(); i++) {
          double v =
              switch (param.getKey()) {
                case "var" -> 0.5 + random.nextDouble();
                case "gamma" -> 1 + random.nextGaussian() * 0.5;
                default -> random.nextGaussian() * 0.5;
              };
          p.putScalar(i, v);
        }
      }
    }
  }
}
