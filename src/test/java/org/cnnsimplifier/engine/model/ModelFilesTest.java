package org.cnnsimplifier.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cnnsimplifier.engine.InvalidModelException;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

class ModelFilesTest {
  @TempDir Path dir;

  @Test
  void savedMultiLayerNetworkReloadsWithEqualPredictionsAndUpdaterState() {
    MultiLayerNetwork network = TestNetworks.tinyCnn(InputType.convolutional(6, 6, 2));
    INDArray images = Nd4j.rand(DataType.FLOAT, 4, 2, 6, 6);
    network.fit(new DataSet(images, Nd4j.eye(3).getRows(0, 1, 2, 1).castTo(DataType.FLOAT)));
    CnnModel model = CnnModel.of(network, new InputShape(2, 6, 6), ModelFormat.DL4J_ZIP);
    Path file = dir.resolve("model.zip");

    ModelFiles.write(model, file);
    CnnModel reloaded = ModelFiles.read(file);

    assertThat(reloaded.isGraph()).isFalse();
    assertThat(reloaded.inputShape()).isEqualTo(model.inputShape());
    assertThat(reloaded.sourceFormat()).isEqualTo(ModelFormat.DL4J_ZIP);
    assertThat(reloaded.output(images)).isEqualTo(model.output(images));
    assertThat(reloaded.network().getUpdater().getStateViewArray())
        .isEqualTo(network.getUpdater().getStateViewArray());
  }

  @Test
  void savedComputationGraphReloadsWithEqualPredictions() {
    ComputationGraph graph = TestNetworks.tinyGraph();
    CnnModel model = CnnModel.of(graph, new InputShape(2, 8, 8), ModelFormat.DL4J_ZIP);
    INDArray images = Nd4j.rand(DataType.FLOAT, 3, 2, 8, 8);
    Path file = dir.resolve("graph.zip");

    ModelFiles.write(model, file);
    CnnModel reloaded = ModelFiles.read(file);

    assertThat(reloaded.isGraph()).isTrue();
    assertThat(reloaded.inputShape()).isEqualTo(new InputShape(2, 8, 8));
    assertThat(reloaded.output(images)).isEqualTo(model.output(images));
  }

  @Test
  void importedKerasModelKeepsItsSourceFormatAndPredictionsWhenSaved() throws Exception {
    CnnModel keras = ModelFiles.read(KerasImportTest.fixture("sequential_cnn.h5"));
    INDArray images = Nd4j.rand(DataType.FLOAT, 2, 3, 10, 10);
    Path file = dir.resolve("keras.zip");

    ModelFiles.write(keras, file);
    CnnModel reloaded = ModelFiles.read(file);

    assertThat(reloaded.sourceFormat()).isEqualTo(ModelFormat.KERAS_H5);
    assertThat(reloaded.inputShape()).isEqualTo(new InputShape(3, 10, 10));
    assertThat(reloaded.output(images)).isEqualTo(keras.output(images));
  }

  @Test
  void replacesAnExistingFile() throws IOException {
    Path file = dir.resolve("model.zip");
    Files.writeString(file, "old");
    CnnModel model =
        CnnModel.of(
            TestNetworks.tinyCnn(InputType.convolutional(6, 6, 2)),
            new InputShape(2, 6, 6),
            ModelFormat.DL4J_ZIP);

    ModelFiles.write(model, file);

    assertThat(ModelFiles.read(file).numParams()).isEqualTo(model.numParams());
    assertThat(dir).isDirectoryContaining(p -> p.equals(file));
    assertThat(Files.list(dir)).hasSize(1);
  }

  @Test
  void failedWriteLeavesNoFileBehind() throws IOException {
    // A non-empty folder cannot be replaced by a file: the final move fails.
    Path target = dir.resolve("model.zip");
    Files.createDirectories(target.resolve("occupied"));
    CnnModel model =
        CnnModel.of(
            TestNetworks.tinyCnn(InputType.convolutional(6, 6, 2)),
            new InputShape(2, 6, 6),
            ModelFormat.DL4J_ZIP);

    assertThatThrownBy(() -> ModelFiles.write(model, target))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("model.zip");
    try (var files = Files.list(dir)) {
      assertThat(files).containsExactly(target);
    }
    assertThat(target).isDirectory();
  }

  @Test
  void infersInputShapeFromFlatInputPreprocessor() throws IOException {
    Path file = dir.resolve("flat.zip");
    ModelSerializer.writeModel(
        TestNetworks.tinyCnn(InputType.convolutionalFlat(7, 9, 1)), file.toFile(), false);

    assertThat(ModelFiles.read(file).inputShape()).isEqualTo(new InputShape(1, 7, 9));
  }

  @Test
  void asksForInputShapeWhenPoolingLeavesTheSizeOpen() throws IOException {
    // 8x8 pools to 4x4 in Truncate mode, but so does 9x9.
    Path file = dir.resolve("exact.zip");
    MultiLayerNetwork network = TestNetworks.tinyCnn(InputType.convolutional(8, 8, 2));
    ModelSerializer.writeModel(network, file.toFile(), false);

    assertThatThrownBy(() -> ModelFiles.read(file))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("2x8..9x8..9")
        .hasMessageContaining("give the input shape");
    assertThat(ModelFiles.read(file, new InputShape(2, 9, 9)).inputShape())
        .isEqualTo(new InputShape(2, 9, 9));
    assertThatThrownBy(() -> ModelFiles.read(file, new InputShape(2, 10, 10)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("not 2x10x10");
  }

  @Test
  void infersInputShapeByWorkingBackThroughStrideOneLayers() throws IOException {
    Path file = dir.resolve("conv.zip");
    ModelSerializer.writeModel(
        TestNetworks.convDense(InputType.convolutional(5, 7, 2)), file.toFile(), false);

    assertThat(ModelFiles.read(file).inputShape()).isEqualTo(new InputShape(2, 5, 7));
  }

  @Test
  void usesTheHintWhenSeveralSizesFit() throws IOException {
    Path file = dir.resolve("reference.zip");
    ModelSerializer.writeModel(TestNetworks.referenceCnn(), file.toFile(), false);

    // Two stride-2 poolings: 28 to 31 all end at 7x7; the hint settles it.
    assertThat(ModelFiles.read(file, new InputShape(1, 28, 28)).inputShape())
        .isEqualTo(new InputShape(1, 28, 28));
  }

  @Test
  void rejectsRandomBytes() throws IOException {
    byte[] bytes = new byte[512];
    new Random(1).nextBytes(bytes);
    bytes[0] = 'X';

    assertRejected(
        write("random.bin", bytes), "neither a Deeplearning4j model zip, a Keras HDF5 file nor");
  }

  @Test
  void rejectsATextFile() throws IOException {
    Path file = write("notes.txt", "just some notes\n".getBytes(StandardCharsets.UTF_8));

    assertRejected(
        file,
        "notes.txt is neither a Deeplearning4j model zip, a Keras HDF5 file nor an ONNX model");
  }

  @Test
  void rejectsAnEmptyFile() throws IOException {
    assertRejected(write("empty.zip", new byte[0]), "empty.zip is empty");
  }

  @Test
  void rejectsAMissingFile() {
    assertRejected(dir.resolve("absent.zip"), "absent.zip does not exist");
  }

  @Test
  void rejectsATruncatedZip() throws IOException {
    Path whole = dir.resolve("whole.zip");
    ModelFiles.write(
        CnnModel.of(
            TestNetworks.tinyCnn(InputType.convolutional(6, 6, 2)),
            new InputShape(2, 6, 6),
            ModelFormat.DL4J_ZIP),
        whole);
    byte[] bytes = Files.readAllBytes(whole);

    assertRejected(
        write("truncated.zip", Arrays.copyOf(bytes, bytes.length / 2)), "truncated.zip is not");
  }

  @Test
  void rejectsAZipThatIsNoModel() throws IOException {
    Path file = dir.resolve("photos.zip");
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
      zip.putNextEntry(new ZipEntry("cat.jpg"));
      zip.write(new byte[] {1, 2, 3});
    }

    assertRejected(file, "not a Deeplearning4j model: it has no configuration.json");
  }

  @Test
  void rejectsAModelWithoutConvolutionLayers() throws IOException {
    Path file = dir.resolve("mlp.zip");
    ModelSerializer.writeModel(TestNetworks.denseOnly(), file.toFile(), false);

    assertThatThrownBy(() -> ModelFiles.read(file, new InputShape(2, 4, 4)))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("mlp.zip has no convolution layer; nothing to simplify");
  }

  @Test
  void rejectsATruncatedHdf5File() throws Exception {
    byte[] bytes = Files.readAllBytes(KerasImportTest.fixture("sequential_cnn.h5"));

    assertRejected(write("cut.h5", Arrays.copyOf(bytes, 2048)), "cut.h5");
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  private static void assertRejected(Path file, String message) {
    assertThatThrownBy(() -> ModelFiles.read(file))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining(message);
  }
}
