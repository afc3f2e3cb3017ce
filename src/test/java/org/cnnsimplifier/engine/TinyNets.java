package org.cnnsimplifier.engine;

import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.engine.runtime.NativeRuntime;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Tiny CNNs for engine tests: small enough to train in a second. */
public final class TinyNets {
  public static final InputShape INPUT = new InputShape(2, 10, 10);
  public static final int CLASSES = 3;

  private TinyNets() {}

  /**
   * conv(6)-BN-relu-maxpool-conv(5)-dropout-dense(8, after flatten)-output(3) on 2×10×10. Batch
   * normalisation statistics are randomised so that slicing them matters.
   */
  public static CnnModel sequential(long seed) {
    NativeRuntime.initialize();
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            .updater(new Adam(1e-2))
            .list()
            .layer(
                new ConvolutionLayer.Builder(3, 3)
                    .name("conv1")
                    .nOut(6)
                    .activation(Activation.IDENTITY)
                    .build())
            .layer(new BatchNormalization.Builder().name("bn1").build())
            .layer(new ActivationLayer.Builder().name("relu1").activation(Activation.RELU).build())
            .layer(
                new SubsamplingLayer.Builder(PoolingType.MAX)
                    .name("pool1")
                    .kernelSize(2, 2)
                    .stride(2, 2)
                    .build())
            .layer(
                new ConvolutionLayer.Builder(2, 2)
                    .name("conv2")
                    .nOut(5)
                    .activation(Activation.RELU)
                    .build())
            .layer(new DropoutLayer.Builder(0.8).name("drop").build())
            .layer(
                new DenseLayer.Builder().name("dense").nOut(8).activation(Activation.RELU).build())
            .layer(
                new OutputLayer.Builder(LossFunction.MCXENT)
                    .name("out")
                    .nOut(CLASSES)
                    .activation(Activation.SOFTMAX)
                    .build())
            .setInputType(InputType.convolutional(INPUT.height(), INPUT.width(), INPUT.channels()))
            .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    randomiseBatchNorm(network.getLayer("bn1").paramTable(), seed);
    return CnnModel.of(network, INPUT, ModelFormat.DL4J_ZIP);
  }

  /** conv(4)-conv(6)-global average pooling-output(3): the reader is per channel. */
  public static CnnModel globalPooling(long seed) {
    NativeRuntime.initialize();
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            .list()
            .layer(
                new ConvolutionLayer.Builder(3, 3)
                    .name("c1")
                    .nOut(4)
                    .activation(Activation.RELU)
                    .build())
            .layer(
                new ConvolutionLayer.Builder(3, 3)
                    .name("c2")
                    .nOut(6)
                    .activation(Activation.TANH)
                    .build())
            .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("gap").build())
            .layer(
                new OutputLayer.Builder(LossFunction.MCXENT)
                    .name("out")
                    .nOut(CLASSES)
                    .activation(Activation.SOFTMAX)
                    .build())
            .setInputType(InputType.convolutional(INPUT.height(), INPUT.width(), INPUT.channels()))
            .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    return CnnModel.of(network, INPUT, ModelFormat.DL4J_ZIP);
  }

  /** The sequential network as a ComputationGraph chain. */
  public static CnnModel graphChain(long seed) {
    NativeRuntime.initialize();
    ComputationGraphConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            .updater(new Adam(1e-2))
            .graphBuilder()
            .addInputs("in")
            .addLayer(
                "conv1",
                new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.IDENTITY).build(),
                "in")
            .addLayer("bn1", new BatchNormalization.Builder().build(), "conv1")
            .addLayer(
                "relu1", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn1")
            .addLayer(
                "pool1",
                new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(),
                "relu1")
            .addLayer(
                "conv2",
                new ConvolutionLayer.Builder(2, 2).nOut(5).activation(Activation.RELU).build(),
                "pool1")
            .addLayer(
                "dense",
                new DenseLayer.Builder().nOut(8).activation(Activation.RELU).build(),
                "conv2")
            .addLayer(
                "out",
                new OutputLayer.Builder(LossFunction.MCXENT)
                    .nOut(CLASSES)
                    .activation(Activation.SOFTMAX)
                    .build(),
                "dense")
            .setOutputs("out")
            .setInputTypes(InputType.convolutional(INPUT.height(), INPUT.width(), INPUT.channels()))
            .build();
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    randomiseBatchNorm(graph.getLayer("bn1").paramTable(), seed);
    return CnnModel.of(graph, INPUT, ModelFormat.DL4J_ZIP);
  }

  /**
   * A graph where conv "a" and conv "b" meet in a residual add ({@code residual = true}) or a
   * concatenation.
   */
  public static CnnModel graphWithJoin(boolean residual) {
    NativeRuntime.initialize();
    ComputationGraphConfiguration.GraphBuilder builder =
        new NeuralNetConfiguration.Builder()
            .seed(1)
            .dataType(DataType.FLOAT)
            .graphBuilder()
            .addInputs("in")
            .addLayer(
                "a",
                new ConvolutionLayer.Builder(3, 3)
                    .nOut(4)
                    .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same)
                    .activation(Activation.RELU)
                    .build(),
                "in")
            .addLayer(
                "b",
                new ConvolutionLayer.Builder(3, 3)
                    .nOut(4)
                    .convolutionMode(org.deeplearning4j.nn.conf.ConvolutionMode.Same)
                    .activation(Activation.RELU)
                    .build(),
                "a");
    if (residual) {
      builder.addVertex("join", new ElementWiseVertex(ElementWiseVertex.Op.Add), "a", "b");
    } else {
      builder.addVertex("join", new MergeVertex(), "a", "b");
    }
    ComputationGraphConfiguration conf =
        builder
            .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "join")
            .addLayer(
                "out",
                new OutputLayer.Builder(LossFunction.MCXENT)
                    .nOut(CLASSES)
                    .activation(Activation.SOFTMAX)
                    .build(),
                "gap")
            .setOutputs("out")
            .setInputTypes(InputType.convolutional(INPUT.height(), INPUT.width(), INPUT.channels()))
            .build();
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    return CnnModel.of(graph, INPUT, ModelFormat.DL4J_ZIP);
  }

  /** Random images for the tiny networks. */
  public static INDArray images(int count, long seed) {
    return Nd4j.rand(seed, new long[] {count, INPUT.channels(), INPUT.height(), INPUT.width()})
        .castTo(DataType.FLOAT);
  }

  private static void randomiseBatchNorm(java.util.Map<String, INDArray> params, long seed) {
    java.util.Random random = new java.util.Random(seed);
    for (var entry : params.entrySet()) {
      INDArray p = entry.getValue();
      for (long i = 0; i < p.length(); i++) {
        double v =
            "var".equals(entry.getKey())
                ? 0.5 + random.nextDouble()
                : random.nextGaussian() * 0.5 + ("gamma".equals(entry.getKey()) ? 1 : 0);
        p.putScalar(i, v);
      }
    }
  }
}
