package org.cnnsimplifier.engine.runtime;

import java.util.Random;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * A tiny float CNN (conv(no bias)-bn-relu-maxpool-conv-dense-output, 1x12x12 input, 3 classes) and
 * separable generated images for it: class 0 has a bright horizontal bar, class 1 a vertical bar,
 * class 2 a diagonal, each at a random position on noise.
 */
final class TinyCnn {
  static final int SIDE = 12;
  static final int CLASSES = 3;

  private TinyCnn() {}

  static MultiLayerNetwork build(CNN2DFormat format) {
    var conf =
        new NeuralNetConfiguration.Builder()
            .seed(7)
            .dataType(DataType.FLOAT)
            .updater(new Adam(1e-2))
            .weightInit(WeightInit.RELU)
            .list()
            .layer(
                new ConvolutionLayer.Builder(3, 3)
                    .padding(1, 1)
                    .nOut(6)
                    .dataFormat(format)
                    .activation(Activation.IDENTITY)
                    // A bias before batch norm has a zero true gradient: only float noise, which
                    // Adam would blow up to full steps and make the two paths drift apart.
                    .hasBias(false)
                    .build())
            .layer(new BatchNormalization.Builder().dataFormat(format).build())
            .layer(new ActivationLayer(Activation.RELU))
            .layer(
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                    .kernelSize(2, 2)
                    .stride(2, 2)
                    .dataFormat(format)
                    .build())
            .layer(
                new ConvolutionLayer.Builder(3, 3)
                    .nOut(8)
                    .dataFormat(format)
                    .activation(Activation.RELU)
                    .build())
            .layer(new DenseLayer.Builder().nOut(16).activation(Activation.RELU).build())
            .layer(
                new OutputLayer.Builder(LossFunction.MCXENT)
                    .nOut(CLASSES)
                    .activation(Activation.SOFTMAX)
                    .build())
            .setInputType(InputType.convolutional(SIDE, SIDE, 1, format))
            .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    return network;
  }

  static CnnModel model(MultiLayerNetwork network) {
    return CnnModel.of(network, new InputShape(1, SIDE, SIDE), ModelFormat.DL4J_ZIP);
  }

  /** {@code n} labelled NCHW images; the same seed gives the same images. */
  static DataSet images(int n, long seed) {
    Random random = new Random(seed);
    float[] x = new float[n * SIDE * SIDE];
    float[] y = new float[n * CLASSES];
    for (int i = 0; i < n; i++) {
      int label = i % CLASSES;
      y[i * CLASSES + label] = 1;
      int offset = i * SIDE * SIDE;
      for (int p = 0; p < SIDE * SIDE; p++) {
        x[offset + p] = 0.3f * random.nextFloat();
      }
      int at = 2 + random.nextInt(SIDE - 4);
      for (int k = 0; k < SIDE; k++) {
        int row = label == 0 ? at : k;
        int col = label == 1 ? at : k;
        x[offset + row * SIDE + col] = 1f;
      }
    }
    return new DataSet(
        Nd4j.create(x, new long[] {n, 1, SIDE, SIDE}, 'c'),
        Nd4j.create(y, new long[] {n, CLASSES}));
  }

  /** The same images laid out NHWC, for a network built with that format. */
  static DataSet toNhwc(DataSet nchw) {
    return new DataSet(nchw.getFeatures().permute(0, 2, 3, 1).dup('c'), nchw.getLabels());
  }
}
