package org.cnnsimplifier.engine.model;

import org.cnnsimplifier.engine.runtime.NativeRuntime;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Small seeded networks for the model package's tests. */
final class TestNetworks {
  private TestNetworks() {}

  /**
   * The reference CNN: conv3x3(32)-conv3x3(32)-maxpool2-conv3x3(64)-conv3x3(64)-maxpool2-
   * dense(128)-dense(10) on 1x28x28, every convolution padded 1 (PyTorch {@code padding=1}).
   */
  static MultiLayerNetwork referenceCnn() {
    NativeRuntime.initialize();
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(7)
            .updater(new Adam(1e-3))
            .list()
            .layer(conv(32).nIn(1).build())
            .layer(conv(32).build())
            .layer(maxPool())
            .layer(conv(64).build())
            .layer(conv(64).build())
            .layer(maxPool())
            .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
            .layer(softmax(10))
            .setInputType(InputType.convolutional(28, 28, 1))
            .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    return network;
  }

  /** conv(4) - maxpool - dense(3) on the given input type; seeded. */
  static MultiLayerNetwork tinyCnn(InputType input) {
    NativeRuntime.initialize();
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(11)
            .updater(new Adam(1e-2))
            .list()
            .layer(conv(4).build())
            .layer(maxPool())
            .layer(softmax(3))
            .setInputType(input)
            .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    return network;
  }

  /** A network without any convolution: dense(5) - dense(3) on flat 2x4x4 images. */
  static MultiLayerNetwork denseOnly() {
    NativeRuntime.initialize();
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(3)
            .list()
            .layer(new DenseLayer.Builder().nOut(5).activation(Activation.RELU).build())
            .layer(softmax(3))
            .setInputType(InputType.feedForward(32))
            .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    return network;
  }

  /** input - conv(4) - batch norm - relu - global average pooling - output(3), on 2x8x8. */
  static ComputationGraph tinyGraph() {
    NativeRuntime.initialize();
    ComputationGraphConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(5)
            .updater(new Adam(1e-2))
            .graphBuilder()
            .addInputs("image")
            .addLayer("conv", conv(4).activation(Activation.IDENTITY).build(), "image")
            .addLayer("bn", new BatchNormalization.Builder().build(), "conv")
            .addLayer(
                "relu", new ActivationLayer.Builder().activation(Activation.RELU).build(), "bn")
            .addLayer(
                "gap",
                new GlobalPoolingLayer.Builder().poolingType(PoolingType.AVG).build(),
                "relu")
            .addLayer("out", softmax(3), "gap")
            .setOutputs("out")
            .setInputTypes(InputType.convolutional(8, 8, 2))
            .build();
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    return graph;
  }

  private static ConvolutionLayer.Builder conv(int kernels) {
    return new ConvolutionLayer.Builder(3, 3)
        .stride(1, 1)
        .padding(1, 1)
        .nOut(kernels)
        .activation(Activation.RELU);
  }

  private static SubsamplingLayer maxPool() {
    return new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
  }

  private static OutputLayer softmax(int classes) {
    return new OutputLayer.Builder(LossFunction.MCXENT)
        .nOut(classes)
        .activation(Activation.SOFTMAX)
        .build();
  }
}
