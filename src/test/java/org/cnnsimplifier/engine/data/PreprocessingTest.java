package org.cnnsimplifier.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.cnnsimplifier.engine.DatasetMismatchException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.retrain.Evaluator;
import org.cnnsimplifier.engine.retrain.Trainer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Images enter the network as the model's input preprocessing says, and only then it works. */
class PreprocessingTest {
  private static final InputPreprocessing NORMALISED =
      new InputPreprocessing(
          1.0 / 255, List.of(0.5), List.of(0.05), InputPreprocessing.ChannelOrder.RGB);

  @TempDir Path dir;

  @Test
  void scalesSubtractsTheMeanDividesByTheStdAndOrdersChannels() {
    // One RGB pixel (r, g, b) = (51, 102, 204).
    TestImages.write(TestImages.rgb(1, 1, (51 << 16) | (102 << 8) | 204), dir.resolve("a/0.png"));
    TestImages.write(TestImages.rgb(1, 1, 0), dir.resolve("b/0.png"));
    InputPreprocessing caffe =
        new InputPreprocessing(
            1.0,
            List.of(103.939, 116.779, 123.68),
            List.of(1.0),
            InputPreprocessing.ChannelOrder.BGR);
    InputPreprocessing torch =
        new InputPreprocessing(
            1.0 / 255,
            List.of(0.485, 0.456, 0.406),
            List.of(0.229, 0.224, 0.225),
            InputPreprocessing.ChannelOrder.RGB);

    float[] plain = firstImage(DatasetOptions.defaults());
    float[] bgr = firstImage(DatasetOptions.defaults().withPreprocessing(caffe));
    float[] normalised = firstImage(DatasetOptions.defaults().withPreprocessing(torch));

    assertThat(plain).containsExactly(new float[] {0.2f, 0.4f, 0.8f}, within(1e-6f));
    assertThat(bgr)
        .containsExactly(new float[] {204 - 103.939f, 102 - 116.779f, 51 - 123.68f}, within(1e-3f));
    assertThat(normalised)
        .containsExactly(
            new float[] {
              (0.2f - 0.485f) / 0.229f, (0.4f - 0.456f) / 0.224f, (0.8f - 0.406f) / 0.225f
            },
            within(1e-5f));
    assertThat(torch.invert(normalised, new InputShape(3, 1, 1)))
        .containsExactly(new float[] {0.2f, 0.4f, 0.8f}, within(1e-6f));
  }

  @Test
  void refusesAPreprocessingThatDoesNotFitTheImages() {
    TestImages.write(TestImages.gray(2, 2, (x, y) -> 9), dir.resolve("a/0.png"));
    TestImages.write(TestImages.gray(2, 2, (x, y) -> 9), dir.resolve("b/0.png"));
    InputPreprocessing bgr =
        InputPreprocessing.of(null, null, null, InputPreprocessing.ChannelOrder.BGR);

    assertThatThrownBy(
            () -> ImageDatasets.open(dir, DatasetOptions.defaults().withPreprocessing(bgr)))
        .isInstanceOf(DatasetMismatchException.class)
        .hasMessageContaining("BGR needs a 3-channel model");
  }

  @Test
  void aModelTrainedOnNormalisedImagesReachesItsAccuracyOnlyWhenTheyAreDeclared() {
    // Dark and bright images: around -2.2 and +2.2 once normalised, 0.39 and 0.61 if not.
    Random random = new Random(5);
    for (int i = 0; i < 40; i++) {
      TestImages.write(
          TestImages.gray(8, 8, (x, y) -> 100 + random.nextInt(11) - 5),
          dir.resolve("dark/" + i + ".png"));
      TestImages.write(
          TestImages.gray(8, 8, (x, y) -> 155 + random.nextInt(11) - 5),
          dir.resolve("bright/" + i + ".png"));
    }
    CnnModel model = brightnessClassifier().withPreprocessing(NORMALISED);
    DatasetOptions options = DatasetOptions.defaults().withValidationFraction(0.25).withSeed(1);

    double declared;
    double undeclared;
    try (ImageDataset normalised =
            ImageDatasets.open(dir, options.withPreprocessing(model.preprocessing()));
        ImageDataset plain = ImageDatasets.open(dir, options)) {
      Trainer.train(model, null, normalised, new Retraining(8, 10, 0.02, 0), 3, Cancellation.NEVER);
      declared =
          Evaluator.evaluate(model, normalised.validation(20), Cancellation.NEVER).accuracy();
      undeclared = Evaluator.evaluate(model, plain.validation(20), Cancellation.NEVER).accuracy();
    }

    System.out.printf(
        "accuracy with the declared normalisation %.3f, without %.3f%n", declared, undeclared);
    assertThat(declared).isGreaterThanOrEqualTo(0.95);
    assertThat(undeclared).isLessThanOrEqualTo(0.6);
  }

  private float[] firstImage(DatasetOptions options) {
    try (ImageDataset data = ImageDatasets.open(dir, options.withValidationFraction(0))) {
      INDArray features = data.train(1, 0).next().getFeatures();
      return features.dup('c').data().asFloat();
    }
  }

  private static CnnModel brightnessClassifier() {
    MultiLayerNetwork network =
        new MultiLayerNetwork(
            new NeuralNetConfiguration.Builder()
                .seed(11)
                .list()
                .layer(
                    new ConvolutionLayer.Builder(3, 3)
                        .nOut(3)
                        .activation(Activation.RELU)
                        .name("conv")
                        .build())
                .layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("pool").build())
                .layer(
                    new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(2)
                        .activation(Activation.SOFTMAX)
                        .name("out")
                        .build())
                .setInputType(InputType.convolutional(8, 8, 1))
                .build());
    network.init();
    return CnnModel.of(network, new InputShape(1, 8, 8), ModelFormat.DL4J_ZIP);
  }
}
