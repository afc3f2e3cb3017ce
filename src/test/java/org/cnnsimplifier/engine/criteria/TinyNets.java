package org.cnnsimplifier.engine.criteria;

import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.engine.runtime.NativeRuntime;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.ViewIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Small hand-weighted networks and data whose kernel rankings are known. */
final class TinyNets {

  private TinyNets() {}

  static CnnModel wrap(MultiLayerNetwork net, int channels, int size) {
    return CnnModel.of(net, new InputShape(channels, size, size), ModelFormat.DL4J_ZIP);
  }

  /**
   * 1×1 conv (nIn 1, ReLU) with the given per-kernel weights and biases → global average pooling →
   * softmax output over 2 classes with the given weights [kernels, 2] and bias.
   */
  static CnnModel pointwiseClassifier(
      double[] convWeights, double[] convBiases, double[][] outWeights, double[] outBias) {
    NativeRuntime.initialize();
    int kernels = convWeights.length;
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(1)
            .dataType(DataType.FLOAT)
            .weightInit(WeightInit.XAVIER)
            .list()
            .layer(
                new ConvolutionLayer.Builder(1, 1)
                    .nOut(kernels)
                    .activation(Activation.RELU)
                    .build())
            .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build())
            .layer(
                new OutputLayer.Builder(LossFunction.MCXENT)
                    .nOut(2)
                    .activation(Activation.SOFTMAX)
                    .build())
            .setInputType(InputType.convolutional(4, 4, 1))
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    net.getLayer(0)
        .setParam("W", Nd4j.create(convWeights, new long[] {kernels, 1, 1, 1}, DataType.FLOAT));
    net.getLayer(0).setParam("b", Nd4j.create(convBiases, new long[] {1, kernels}, DataType.FLOAT));
    net.getLayer(2).setParam("W", Nd4j.create(outWeights).castTo(DataType.FLOAT));
    net.getLayer(2).setParam("b", Nd4j.create(outBias, new long[] {1, 2}, DataType.FLOAT));
    return wrap(net, 1, 4);
  }

  /**
   * Images of one channel, 4×4: "bright" ones (class 0) and "dark" ones (class 1), alternating,
   * with a little seeded noise.
   */
  static DataSet brightAndDark(int count, long seed) {
    INDArray noise = Nd4j.rand(seed, new long[] {count, 1, 4, 4}).castTo(DataType.FLOAT).muli(0.05);
    INDArray features = Nd4j.create(DataType.FLOAT, count, 1, 4, 4);
    INDArray labels = Nd4j.create(DataType.FLOAT, count, 2);
    for (int i = 0; i < count; i++) {
      boolean bright = i % 2 == 0;
      features.get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).assign(bright ? 0.9 : 0.1);
      labels.putScalar(i, bright ? 0 : 1, 1.0);
    }
    return new DataSet(features.addi(noise), labels);
  }

  static ScoringData data(DataSet set, int batchSize, int maxImages) {
    return new ScoringData(new ViewIterator(set, batchSize), maxImages);
  }

  /**
   * conv 3×3 (identity, 4 kernels) → batch norm → ReLU layer → average pool → softmax, as a graph.
   */
  static CnnModel graphWithBatchNorm() {
    NativeRuntime.initialize();
    var conf =
        new NeuralNetConfiguration.Builder()
            .seed(3)
            .dataType(DataType.FLOAT)
            .weightInit(WeightInit.XAVIER)
            .graphBuilder()
            .addInputs("in")
            .addLayer(
                "conv",
                new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.IDENTITY).build(),
                "in")
            .addLayer(
                "bn",
                new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().build(),
                "conv")
            .addLayer(
                "relu",
                new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                    .activation(Activation.RELU)
                    .build(),
                "bn")
            .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "relu")
            .addLayer(
                "out",
                new OutputLayer.Builder(LossFunction.MCXENT)
                    .nOut(2)
                    .activation(Activation.SOFTMAX)
                    .build(),
                "pool")
            .setOutputs("out")
            .setInputTypes(InputType.convolutional(6, 6, 1))
            .build();
    var graph = new org.deeplearning4j.nn.graph.ComputationGraph(conf);
    graph.init();
    return CnnModel.of(graph, new InputShape(1, 6, 6), ModelFormat.DL4J_ZIP);
  }

  /**
   * conv 3×3 (ReLU, 3 kernels) → conv 1×1 (identity, 4 kernels) → batch norm → ReLU layer → dense
   * with dropout (via flatten) → softmax, as a MultiLayerNetwork on 6×6 single-channel images.
   */
  static CnnModel sequentialWithBatchNorm() {
    NativeRuntime.initialize();
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(5)
            .dataType(DataType.FLOAT)
            .weightInit(WeightInit.XAVIER)
            .list()
            .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).activation(Activation.RELU).build())
            .layer(
                new ConvolutionLayer.Builder(1, 1).nOut(4).activation(Activation.IDENTITY).build())
            .layer(new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().build())
            .layer(
                new org.deeplearning4j.nn.conf.layers.ActivationLayer.Builder()
                    .activation(Activation.RELU)
                    .build())
            .layer(
                new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder()
                    .nOut(5)
                    .activation(Activation.TANH)
                    .dropOut(0.5)
                    .build())
            .layer(
                new OutputLayer.Builder(LossFunction.MCXENT)
                    .nOut(2)
                    .activation(Activation.SOFTMAX)
                    .build())
            .setInputType(InputType.convolutional(6, 6, 1))
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return wrap(net, 1, 6);
  }

  /**
   * The pattern where frozen tails went wrong: conv (3, ReLU) → batch norm → max pool → conv (4,
   * ReLU) → dropout layer → dense (5, tanh) → softmax, on 6×6 single-channel images, with DL4J's
   * workspaces on. Batch-norm statistics are set away from their defaults.
   */
  static MultiLayerConfiguration heldOutPatternConf() {
    return new NeuralNetConfiguration.Builder()
        .seed(7)
        .dataType(DataType.FLOAT)
        .weightInit(WeightInit.XAVIER)
        .trainingWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.ENABLED)
        .inferenceWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.ENABLED)
        .list()
        .layer(
            new ConvolutionLayer.Builder(3, 3)
                .name("c1")
                .nOut(3)
                .activation(Activation.RELU)
                .build())
        .layer(
            new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder().name("bn").build())
        .layer(
            new org.deeplearning4j.nn.conf.layers.SubsamplingLayer.Builder(
                    org.deeplearning4j.nn.conf.layers.SubsamplingLayer.PoolingType.MAX)
                .name("pool")
                .kernelSize(2, 2)
                .stride(2, 2)
                .build())
        .layer(
            new ConvolutionLayer.Builder(1, 1)
                .name("c2")
                .nOut(4)
                .activation(Activation.RELU)
                .build())
        .layer(new org.deeplearning4j.nn.conf.layers.DropoutLayer.Builder(0.6).name("drop").build())
        .layer(
            new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder()
                .name("dense")
                .nOut(5)
                .activation(Activation.TANH)
                .build())
        .layer(
            new OutputLayer.Builder(LossFunction.MCXENT)
                .name("out")
                .nOut(2)
                .activation(Activation.SOFTMAX)
                .build())
        .setInputType(InputType.convolutional(6, 6, 1))
        .build();
  }

  static CnnModel heldOutPattern() {
    NativeRuntime.initialize();
    MultiLayerNetwork net = new MultiLayerNetwork(heldOutPatternConf());
    net.init();
    java.util.Random random = new java.util.Random(3);
    for (var param : net.getLayer("bn").paramTable().entrySet()) {
      INDArray p = param.getValue();
      for (long i = 0; i < p.length(); i++) {
        p.putScalar(
            i,
            "var".equals(param.getKey()) ? 0.2 + random.nextDouble() : random.nextGaussian() * 0.4);
      }
    }
    return wrap(net, 1, 6);
  }

  /** The same network as a ComputationGraph with the same layer names and parameters. */
  static CnnModel asGraph(CnnModel sequential) {
    MultiLayerConfiguration conf = sequential.network().getLayerWiseConfigurations().clone();
    var builder =
        new NeuralNetConfiguration.Builder()
            .dataType(DataType.FLOAT)
            .trainingWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.ENABLED)
            .inferenceWorkspaceMode(org.deeplearning4j.nn.conf.WorkspaceMode.ENABLED)
            .graphBuilder()
            .addInputs("in");
    String previous = "in";
    for (int i = 0; i < conf.getConfs().size(); i++) {
      var layer = conf.getConf(i).getLayer();
      builder.addLayer(layer.getLayerName(), layer, conf.getInputPreProcess(i), previous);
      previous = layer.getLayerName();
    }
    var graph =
        new org.deeplearning4j.nn.graph.ComputationGraph(builder.setOutputs(previous).build());
    graph.init(sequential.network().params().dup(), false);
    return CnnModel.of(graph, sequential.inputShape(), ModelFormat.DL4J_ZIP);
  }

  /** Random single-channel 6×6 images with alternating one-hot labels over 2 classes. */
  static DataSet randomImages(int count, long seed) {
    INDArray features = Nd4j.rand(seed, new long[] {count, 1, 6, 6}).castTo(DataType.FLOAT);
    INDArray labels = Nd4j.create(DataType.FLOAT, count, 2);
    for (int i = 0; i < count; i++) {
      labels.putScalar(i, i % 2, 1.0);
    }
    return new DataSet(features, labels);
  }
}
