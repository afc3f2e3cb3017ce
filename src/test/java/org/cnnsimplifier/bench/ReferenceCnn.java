package org.cnnsimplifier.bench;

import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * The benchmark CNN of {@code shared/bench/torch_reference.py} in DL4J: conv3x3(32)-relu-
 * conv3x3(32)-relu-maxpool2-conv3x3(64)-relu-conv3x3(64)-relu-maxpool2-dense(128)-relu-dense(10),
 * padding 1, NCHW, float, Adam(1e-3), softmax cross-entropy; 467,818 parameters.
 */
final class ReferenceCnn {
  static final long PARAMS = 467_818;

  private ReferenceCnn() {}

  /** Forward FLOPs per image (2 × multiply-adds), as the engine's architecture summary counts. */
  static long flopsPerImage() {
    MultiLayerNetwork network = build(42);
    try {
      return ArchitectureSummary.of(
              CnnModel.of(network, new InputShape(1, 28, 28), ModelFormat.DL4J_ZIP))
          .totalFlops();
    } finally {
      network.close();
    }
  }

  static MultiLayerNetwork build(long seed) {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .dataType(DataType.FLOAT)
            .updater(new Adam(1e-3))
            .weightInit(WeightInit.RELU)
            .convolutionMode(ConvolutionMode.Truncate)
            .list()
            .layer(conv(32))
            .layer(conv(32))
            .layer(pool())
            .layer(conv(64))
            .layer(conv(64))
            .layer(pool())
            .layer(new DenseLayer.Builder().nOut(128).activation(Activation.RELU).build())
            .layer(
                new OutputLayer.Builder(LossFunction.MCXENT)
                    .nOut(FashionMnist.CLASSES)
                    .activation(Activation.SOFTMAX)
                    .weightInit(WeightInit.XAVIER)
                    .build())
            .setInputType(InputType.convolutional(FashionMnist.SIDE, FashionMnist.SIDE, 1))
            .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    if (network.numParams() != PARAMS) {
      throw new IllegalStateException("reference CNN has " + network.numParams() + " params");
    }
    return network;
  }

  private static ConvolutionLayer conv(int channels) {
    return new ConvolutionLayer.Builder(3, 3)
        .padding(1, 1)
        .nOut(channels)
        .activation(Activation.RELU)
        .build();
  }

  private static SubsamplingLayer pool() {
    return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
        .kernelSize(2, 2)
        .stride(2, 2)
        .build();
  }
}
