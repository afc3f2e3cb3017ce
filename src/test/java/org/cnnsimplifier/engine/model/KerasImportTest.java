package org.cnnsimplifier.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cnnsimplifier.engine.InvalidModelException;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Keras HDF5 import against fixtures written by src/test/resources/keras/make_fixtures.py, whose
 * expected outputs come from a numpy forward pass with Keras semantics (channels-last).
 */
class KerasImportTest {

  @Test
  void importsSequentialModelAsNchwMultiLayerNetworkWithKerasPredictions() throws Exception {
    CnnModel model = ModelFiles.read(fixture("sequential_cnn.h5"));

    assertThat(model.isGraph()).isFalse();
    assertThat(model.sourceFormat()).isEqualTo(ModelFormat.KERAS_H5);
    assertThat(model.inputShape()).isEqualTo(new InputShape(3, 10, 10));
    assertThat(model.layerNames()).containsExactly("conv1", "pool1", "conv2", "fc1", "predictions");
    // conv1 3·3·3·4+4, conv2 3·3·4·6+6, fc1 54·8+8, predictions 8·3+3
    assertThat(model.numParams()).isEqualTo(112 + 222 + 440 + 27);
    assertPredictionsMatchKeras(model, "sequential_cnn.expected.txt");
  }

  @Test
  void importsFunctionalModelAsNchwComputationGraphWithKerasPredictions() throws Exception {
    CnnModel model = ModelFiles.read(fixture("functional_cnn.h5"));

    assertThat(model.isGraph()).isTrue();
    assertThat(model.inputShape()).isEqualTo(new InputShape(3, 10, 10));
    assertThat(model.layerNames()).containsExactly("conv", "pool", "predictions");
    assertThat(model.outputLayerName()).isEqualTo("predictions");
    assertThat(model.numParams()).isEqualTo(3 * 3 * 3 * 5 + 5 + 125 * 3 + 3);
    assertPredictionsMatchKeras(model, "functional_cnn.expected.txt");
  }

  @Test
  void convertsChannelsLastConcatenationAndGlobalPoolingAxesToNchw() throws Exception {
    CnnModel model = ModelFiles.read(fixture("concat_pool_cnn.h5"));

    assertThat(model.isGraph()).isTrue();
    assertPredictionsMatchKeras(model, "concat_pool_cnn.expected.txt");
  }

  @Test
  void givesImportedSoftmaxClassifierALossSoItCanBeRetrained() throws Exception {
    CnnModel model = ModelFiles.read(fixture("sequential_cnn.h5"));
    INDArray images = Nd4j.rand(DataType.FLOAT, 4, 3, 10, 10);
    INDArray labels = Nd4j.eye(3).getRows(0, 1, 2, 0).castTo(DataType.FLOAT);

    model.network().fit(new DataSet(images, labels));

    assertThat(model.layer("predictions")).isInstanceOf(IOutputLayer.class);
    assertThat(model.network().score()).isFinite().isPositive();
  }

  @Test
  void predictionsAreDeterministic() throws Exception {
    CnnModel first = ModelFiles.read(fixture("functional_cnn.h5"));
    CnnModel second = ModelFiles.read(fixture("functional_cnn.h5"));
    INDArray images = Nd4j.rand(DataType.FLOAT, 3, 3, 10, 10);

    assertThat(first.output(images)).isEqualTo(second.output(images));
    assertThat(first.output(images)).isEqualTo(first.output(images));
  }

  @Test
  void rejectsUnsupportedLayerNamingIt() throws Exception {
    Path file = fixture("unsupported_layer.h5");

    assertThatThrownBy(() -> ModelFiles.read(file))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("unsupported_layer.h5")
        .hasMessageContaining("ActivityRegularization")
        .hasMessageContaining("not supported");
  }

  @Test
  void importsDepthwiseSeparableAndTransposedConvolutionsWithKerasPredictions() throws Exception {
    CnnModel model = ModelFiles.read(fixture("mobile_cnn.h5"));

    assertThat(model.layerNames())
        .containsExactly(
            "stem", "depthwise_conv2d", "separable", "transpose", "pool", "predictions");
    assertThat(model.layerConf("depthwise_conv2d"))
        .isInstanceOf(org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D.class);
    assertThat(model.layerConf("separable"))
        .isInstanceOf(org.deeplearning4j.nn.conf.layers.SeparableConvolution2D.class);
    assertThat(model.layerConf("transpose"))
        .isInstanceOf(org.deeplearning4j.nn.conf.layers.Deconvolution2D.class);
    assertPredictionsMatchKeras(model, "mobile_cnn.expected.txt");
    // Every convolution-like layer can lose kernels; the depthwise one follows the stem's.
    ArchitectureSummary summary = ArchitectureSummary.of(model);
    assertThat(summary.prunableLayers())
        .containsExactly("stem", "depthwise_conv2d", "separable", "transpose");
    assertThat(summary.layer("depthwise_conv2d").orElseThrow().group()).isEqualTo("stem");
  }

  @Test
  void importsRealTfKerasTransposedAndSeparableConvolutions() throws Exception {
    // Written by tf.keras 2.2.4; they end in global pooling, so they are no classifiers.
    for (String name : List.of("cnn2d_52.h5", "cnn2d_76.h5")) {
      CnnModel model = KerasFiles.read(fixture("tfkeras/" + name), null);
      assertThat(model.layerNames().stream().map(model::layerConf))
          .as(name)
          .anyMatch(l -> l instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer);
      assertThatThrownBy(() -> ModelFiles.read(fixture("tfkeras/" + name)))
          .isInstanceOf(InvalidModelException.class)
          .hasMessageContaining("does not give class probabilities")
          .hasMessageContaining("global_max_pooling2d");
    }
  }

  @Test
  void explainsWhyADepthwiseConvolutionRightAfterTheInputCannotBeImported() throws Exception {
    // tf.keras 2.2.4 file; DL4J's importer takes a depthwise layer's channels from the layer
    // before it, and the input layer has none.
    assertThatThrownBy(() -> ModelFiles.read(fixture("tfkeras/cnn2d_40.h5")))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("depthwise_conv2d_4")
        .hasMessageContaining("DepthwiseConv2D")
        .hasMessageNotContaining("IndexOutOfBounds");
  }

  static Path fixture(String name) throws URISyntaxException {
    return Path.of(KerasImportTest.class.getResource("/keras/" + name).toURI());
  }

  /** Runs the fixture's images (NCHW) through the model and compares with Keras' probabilities. */
  private static void assertPredictionsMatchKeras(CnnModel model, String expected)
      throws IOException, URISyntaxException {
    List<String> lines = Files.readAllLines(fixture(expected));
    INDArray images = Nd4j.create(floats(lines.get(1)), longs(lines.get(0)), 'c');
    float[] probabilities = floats(lines.get(3));

    INDArray output = model.output(images);

    assertThat(output.shape()).isEqualTo(longs(lines.get(2)));
    float[] actual = output.dup('c').data().asFloat();
    for (int i = 0; i < probabilities.length; i++) {
      assertThat(actual[i]).as("probability %d", i).isCloseTo(probabilities[i], within(1e-4f));
    }
  }

  private static org.assertj.core.data.Offset<Float> within(float tolerance) {
    return org.assertj.core.data.Offset.offset(tolerance);
  }

  private static float[] floats(String line) {
    String[] parts = line.trim().split(" ");
    float[] values = new float[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = Float.parseFloat(parts[i]);
    }
    return values;
  }

  private static long[] longs(String line) {
    return Arrays.stream(line.trim().split(" ")).mapToLong(Long::parseLong).toArray();
  }
}
