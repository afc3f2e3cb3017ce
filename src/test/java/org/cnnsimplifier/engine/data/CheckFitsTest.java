package org.cnnsimplifier.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.cnnsimplifier.engine.DatasetMismatchException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.engine.runtime.NativeRuntime;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class CheckFitsTest {
  @TempDir Path tmp;

  private static CnnModel model(InputShape input, int classes) {
    NativeRuntime.initialize();
    var conf =
        new NeuralNetConfiguration.Builder()
            .seed(1)
            .list()
            .layer(new ConvolutionLayer.Builder(3, 3).nOut(2).build())
            .layer(
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                    .nOut(classes)
                    .activation(Activation.SOFTMAX)
                    .build())
            .setInputType(InputType.convolutional(input.height(), input.width(), input.channels()))
            .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    return CnnModel.of(network, input, ModelFormat.DL4J_ZIP);
  }

  private ImageDataset open(List<String> classes, DatasetOptions options) {
    Path root = TestImages.classFolders(tmp.resolve("ds"), classes, 2);
    return ImageDatasets.open(root, options.withWorkDir(tmp.resolve("work")));
  }

  @Test
  void acceptsModelWithSameShapeAndClassCount() {
    try (ImageDataset ds = open(List.of("a", "b", "c"), DatasetOptions.defaults())) {
      assertThatCode(() -> ds.checkFits(model(new InputShape(3, 8, 8), 3)))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void rejectsModelWithAnotherClassCountNamingBoth() {
    try (ImageDataset ds = open(List.of("a", "b", "c"), DatasetOptions.defaults())) {
      assertThatThrownBy(() -> ds.checkFits(model(new InputShape(3, 8, 8), 10)))
          .isInstanceOf(DatasetMismatchException.class)
          .hasMessageContaining("10 output classes")
          .hasMessageContaining("has 3 [a, b, c]");
    }
  }

  @Test
  void rejectsModelWithAnotherInputShapeSuggestingAdapt() {
    try (ImageDataset ds = open(List.of("a", "b"), DatasetOptions.defaults())) {
      assertThatThrownBy(() -> ds.checkFits(model(new InputShape(1, 12, 12), 2)))
          .isInstanceOf(DatasetMismatchException.class)
          .hasMessageContaining("takes 1 input channel(s) but the images have 3")
          .hasMessageContaining("takes 12x12 images but the data set gives 8x8")
          .hasMessageContaining("adapt");
    }
  }

  @Test
  void fitsAfterAdaptingToTheModelsInputShape() {
    InputShape input = new InputShape(1, 12, 12);
    try (ImageDataset ds = open(List.of("a", "b"), DatasetOptions.defaults().adaptTo(input))) {
      assertThatCode(() -> ds.checkFits(model(input, 2))).doesNotThrowAnyException();
    }
  }

  @Test
  void trainsANetworkForAnEpochFromTheTrainIterator() {
    InputShape input = new InputShape(3, 8, 8);
    try (ImageDataset ds = open(List.of("a", "b"), DatasetOptions.defaults())) {
      CnnModel model = model(input, 2);
      double before = model.network().score(ds.validation(4).next());

      model.network().fit(ds.train(2, 5), 3);

      // 2 images per class, one of each moved to validation: one batch of 2 per epoch.
      assertThat(model.network().getEpochCount()).isEqualTo(3);
      assertThat(model.network().getIterationCount()).isEqualTo(3);
      assertThat(model.network().score(ds.validation(4).next())).isNotEqualTo(before);
    }
  }
}
