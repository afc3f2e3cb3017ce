package org.cnnsimplifier.engine.surgery;

import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.engine.runtime.NativeRuntime;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInitRelu;
import org.deeplearning4j.zoo.model.Darknet19;
import org.deeplearning4j.zoo.model.InceptionResNetV1;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SimpleCNN;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.VGG16;
import org.deeplearning4j.zoo.model.Xception;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Models from Deeplearning4j's model zoo, randomly initialised at small input sizes: architectures
 * no one here wrote, with residual adds, concatenations, separable convolutions, scale vertices and
 * loss layers after global pooling.
 */
public final class ZooModels {
  public static final int CLASSES = 4;

  private ZooModels() {}

  /** ResNet50 with He initialisation (the zoo's own, N(0, 0.5), overflows to infinity). */
  public static CnnModel resNet50(int size) {
    return resNet50(size, CLASSES);
  }

  public static CnnModel resNet50(int size, int classes) {
    NativeRuntime.initialize();
    ComputationGraph graph =
        ResNet50.builder()
            .numClasses(classes)
            .inputShape(new int[] {3, size, size})
            .weightInit(new WeightInitRelu())
            .build()
            .init();
    return CnnModel.of(graph, new InputShape(3, size, size), ModelFormat.DL4J_ZIP);
  }

  /** ResNet50 exactly as the zoo initialises it. */
  public static CnnModel resNet50ZooInit(int size) {
    NativeRuntime.initialize();
    ComputationGraph graph =
        ResNet50.builder().numClasses(CLASSES).inputShape(new int[] {3, size, size}).build().init();
    return CnnModel.of(graph, new InputShape(3, size, size), ModelFormat.DL4J_ZIP);
  }

  public static CnnModel squeezeNet(int size) {
    return squeezeNet(size, CLASSES);
  }

  public static CnnModel squeezeNet(int size, int classes) {
    NativeRuntime.initialize();
    ComputationGraph graph =
        SqueezeNet.builder()
            .numClasses(classes)
            .inputShape(new int[] {3, size, size})
            .build()
            .init();
    return CnnModel.of(graph, new InputShape(3, size, size), ModelFormat.DL4J_ZIP);
  }

  public static CnnModel darknet19(int size) {
    return darknet19(size, CLASSES);
  }

  public static CnnModel darknet19(int size, int classes) {
    NativeRuntime.initialize();
    ComputationGraph graph =
        Darknet19.builder()
            .numClasses(classes)
            .inputShape(new int[] {3, size, size})
            .build()
            .init();
    return CnnModel.of(graph, new InputShape(3, size, size), ModelFormat.DL4J_ZIP);
  }

  public static CnnModel xception(int size) {
    NativeRuntime.initialize();
    ComputationGraph graph =
        Xception.builder().numClasses(CLASSES).inputShape(new int[] {3, size, size}).build().init();
    return CnnModel.of(graph, new InputShape(3, size, size), ModelFormat.DL4J_ZIP);
  }

  public static CnnModel inceptionResNetV1(int size) {
    NativeRuntime.initialize();
    ComputationGraph graph =
        InceptionResNetV1.builder()
            .numClasses(CLASSES)
            .inputShape(new int[] {3, size, size})
            .build()
            .init();
    return CnnModel.of(graph, new InputShape(3, size, size), ModelFormat.DL4J_ZIP);
  }

  public static CnnModel vgg16(int size) {
    NativeRuntime.initialize();
    ComputationGraph graph =
        VGG16.builder().numClasses(CLASSES).inputShape(new int[] {3, size, size}).build().init();
    return CnnModel.of(graph, new InputShape(3, size, size), ModelFormat.DL4J_ZIP);
  }

  public static CnnModel simpleCnn(int size) {
    NativeRuntime.initialize();
    MultiLayerNetwork network =
        (MultiLayerNetwork)
            SimpleCNN.builder()
                .numClasses(CLASSES)
                .inputShape(new int[] {3, size, size})
                .build()
                .init();
    return CnnModel.of(network, new InputShape(3, size, size), ModelFormat.DL4J_ZIP);
  }

  /** Uniform random images in [0, 1) for a model. */
  public static INDArray images(CnnModel model, int count, long seed) {
    InputShape shape = model.inputShape();
    return Nd4j.rand(seed, new long[] {count, shape.channels(), shape.height(), shape.width()})
        .castTo(DataType.FLOAT);
  }
}
