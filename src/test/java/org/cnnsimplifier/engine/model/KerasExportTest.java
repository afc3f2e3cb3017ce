package org.cnnsimplifier.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnnsimplifier.engine.model.keras.KerasExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Keras HDF5 export: the file has the layout Keras itself writes (compared with files Keras wrote,
 * src/test/resources/keras/written-by-keras), and Deeplearning4j's Keras importer reads it back to
 * a network with the same outputs.
 */
class KerasExportTest {
  @TempDir Path dir;

  @Test
  void writesTheLayoutAndWeightsKerasWroteForTheSameModel() throws Exception {
    Path reference = written("cnn_batch_norm.h5");
    Path exported = export(ModelFiles.read(reference), "cnn_batch_norm.h5");

    Map<String, String> keras = Hdf5Layout.of(reference);
    keras.remove("/@training_config"); // a training configuration is not written
    // DL4J's importer turns Keras' Flatten into a preprocessor: the layer comes back renamed.
    Map<String, String> expected = renamed(keras, "flatten_1", "dense_1_flatten");
    Map<String, String> ours = Hdf5Layout.of(exported);

    assertThat(ours).containsAllEntriesOf(expected);
    for (String path : expected.keySet()) {
      if (!path.contains("@")) {
        assertThat(Hdf5Layout.floats(exported, path))
            .as(path)
            .containsExactly(
                Hdf5Layout.floats(reference, path.replace("dense_1_flatten", "flatten_1")),
                org.assertj.core.data.Offset.offset(1e-6f));
      }
    }
    assertThat(layerClasses(exported))
        .containsExactly(
            "Conv2D", "BatchNormalization", "Activation", "Conv2D", "Flatten", "Dense");
  }

  @Test
  void writesAttributesOfTheTypesKeras23Writes() throws Exception {
    Map<String, String> keras = Hdf5Layout.of(written("ReLU_0_model.h5"));
    Map<String, String> ours =
        Hdf5Layout.of(
            export(ModelFiles.read(KerasImportTest.fixture("sequential_cnn.h5")), "s.h5"));

    for (String attribute :
        List.of(
            "/@backend",
            "/@keras_version",
            "/@model_config",
            "/model_weights@backend",
            "/model_weights@keras_version")) {
      assertThat(ours.get(attribute)).as(attribute).isEqualTo(keras.get(attribute));
    }
    assertThat(ours.get("/model_weights@layer_names")).startsWith("string[").contains("nullpad");
    assertThat(ours.get("/model_weights/pool1@weight_names"))
        .isEqualTo(keras.get("/model_weights/re_lu_1@weight_names"))
        .isEqualTo("float64 x0");
    assertThat(ours.get("/model_weights/conv1@weight_names"))
        .isEqualTo("string[14] nullpad x2 [conv1/kernel:0, conv1/bias:0]");
    assertThat(ours.get("/model_weights/conv1/conv1/kernel:0")).isEqualTo("float32 [3, 3, 3, 4]");
  }

  @Test
  void simplifiedKerasModelComesBackAsKerasWithTheSameOutputs() throws Exception {
    CnnModel model = ModelFiles.read(KerasImportTest.fixture("sequential_cnn.h5"));
    CnnModel simplified = RandomImages.simplify(model, List.of("conv1", "conv2"));

    CnnModel back = ModelFiles.read(export(simplified, "sequential_cnn.h5"));

    assertThat(simplified.numParams()).isLessThan(model.numParams());
    assertThat(back.isGraph()).isFalse();
    assertThat(back.numParams()).isEqualTo(simplified.numParams());
    assertThat(back.sourceFormat()).isEqualTo(ModelFormat.KERAS_H5);
    assertSameOutputs(back, simplified, 10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"functional_cnn.h5", "concat_pool_cnn.h5"})
  void functionalKerasModelComesBackAsAFunctionalModelWithTheSameOutputs(String name)
      throws Exception {
    CnnModel model = ModelFiles.read(KerasImportTest.fixture(name));

    CnnModel back = ModelFiles.read(export(model, name));

    assertThat(back.isGraph()).isTrue();
    assertThat(back.numParams()).isEqualTo(model.numParams());
    assertSameOutputs(back, model, 10);
  }

  @ParameterizedTest
  @ValueSource(strings = {"resnet18", "mobilenet_v2", "vgg11", "squeezenet1_1"})
  void pyTorchModelsMapToKerasLayersWithTheSameOutputs(String name) throws Exception {
    CnnModel model = ModelFiles.read(OnnxFixtures.file(name + ".onnx"));

    CnnModel back = ModelFiles.read(export(model, name + ".h5"));

    assertSameOutputs(back, model, (int) model.inputShape().height());
  }

  @Test
  void recordsThePreprocessingWhichTheImportReadsBack() throws Exception {
    InputPreprocessing caffe =
        new InputPreprocessing(
            1.0,
            List.of(103.939, 116.779, 123.68),
            List.of(1.0),
            InputPreprocessing.ChannelOrder.BGR);
    CnnModel model =
        ModelFiles.read(KerasImportTest.fixture("sequential_cnn.h5")).withPreprocessing(caffe);

    CnnModel back = ModelFiles.read(export(model, "caffe.h5"));

    assertThat(back.preprocessing()).isEqualTo(caffe);
  }

  @Test
  void listsTheFormatsAModelCanBeWrittenInWithReasonsForTheOthers() {
    CnnModel vgg = ModelFiles.read(OnnxFixtures.file("vgg11.onnx"));
    CnnModel ops = ModelFiles.read(OnnxFixtures.file("ops_cnn.onnx"));

    assertThat(ModelFiles.exportFormats(vgg).available())
        .containsExactly(ModelFormat.DL4J_ZIP, ModelFormat.KERAS_H5, ModelFormat.ONNX);
    ExportFormats formats = ModelFiles.exportFormats(ops);
    assertThat(formats.available()).containsExactly(ModelFormat.DL4J_ZIP, ModelFormat.ONNX);
    assertThat(formats.unavailable().get(ModelFormat.KERAS_H5)).contains("layer 'hardsigmoid'");
  }

  @Test
  void refusingAFormatLeavesNoFileBehind() throws IOException {
    CnnModel ops = ModelFiles.read(OnnxFixtures.file("ops_cnn.onnx"));
    Path file = dir.resolve("ops.h5");

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ModelFiles.write(ops, ModelFormat.KERAS_H5, file))
        .isInstanceOf(org.cnnsimplifier.engine.InvalidModelException.class)
        .hasMessageContaining("hardsigmoid");
    try (var files = java.nio.file.Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void refusesLayersKerasHasNoCounterpartForNamingThem() {
    CnnModel ops = ModelFiles.read(OnnxFixtures.file("ops_cnn.onnx"));
    CnnModel branch = ModelFiles.read(OnnxFixtures.file("branch_cnn.onnx"));

    assertThat(KerasExport.refusal(ops))
        .hasValueSatisfying(
            why ->
                assertThat(why).contains("layer 'hardsigmoid'").contains("no Keras 2 counterpart"));
    assertThat(KerasExport.refusal(branch))
        .hasValueSatisfying(
            why -> assertThat(why).contains("layer 'pool'").contains("may be negative"));
  }

  private void assertSameOutputs(CnnModel actual, CnnModel expected, int size) {
    INDArray images = OnnxFixtures.images(2, expected.inputShape().channels(), size, size);
    double difference = OnnxFixtures.maxDifference(actual.output(images), expected.output(images));
    System.out.printf(
        "Keras re-import: max |difference| = %.3e (%d layers)%n",
        difference, actual.layerNames().size());
    assertThat(difference).isLessThan(1e-5);
  }

  private Path export(CnnModel model, String name) throws IOException {
    Path file = dir.resolve(name);
    KerasExport.write(model, file);
    return file;
  }

  private static Map<String, String> renamed(Map<String, String> layout, String from, String to) {
    Map<String, String> out = new TreeMap<>();
    layout.forEach((k, v) -> out.put(k.replace(from, to), v.replace(from, to)));
    return out;
  }

  private static List<String> layerClasses(Path file) throws Exception {
    String config;
    try (org.deeplearning4j.nn.modelimport.keras.Hdf5Archive h5 =
        new org.deeplearning4j.nn.modelimport.keras.Hdf5Archive(file.toString())) {
      config = h5.readAttributeAsJson("model_config");
    }
    JsonNode layers = new ObjectMapper().readTree(config).path("config").path("layers");
    List<String> classes = new ArrayList<>();
    layers.forEach(l -> classes.add(l.path("class_name").asText()));
    return classes;
  }

  private static Path written(String name) throws URISyntaxException {
    return Path.of(KerasExportTest.class.getResource("/keras/written-by-keras/" + name).toURI());
  }
}
