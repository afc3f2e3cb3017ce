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
