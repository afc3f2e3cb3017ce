package org.cnnsimplifier.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import onnx.Onnx;
import org.cnnsimplifier.engine.InvalidModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** ONNX files the import must refuse, each with a message saying what is wrong. */
class OnnxRejectionTest {
  @TempDir Path dir;

  @Test
  void refusesAFileThatIsNoModel() throws IOException {
    Path file = Files.writeString(dir.resolve("model.onnx"), "this is not a model\n");

    assertThatThrownBy(() -> ModelFiles.read(file))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("model.onnx")
        .hasMessageContaining("nor an ONNX model");
  }

  @Test
  void refusesATruncatedFile() throws IOException {
    byte[] whole = Files.readAllBytes(OnnxFixtures.file("resnet18.onnx"));
    Path file = Files.write(dir.resolve("resnet18.onnx"), Arrays.copyOf(whole, whole.length / 2));

    assertThatThrownBy(() -> ModelFiles.read(file))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("resnet18.onnx")
        .hasMessageContaining("truncated or damaged");
  }

  @Test
  void refusesAnUnsupportedOperatorNamingItAndItsNode() {
    assertThatThrownBy(() -> ModelFiles.read(OnnxFixtures.file("unsupported_op.onnx")))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("unsupported_op.onnx")
        .hasMessageContaining("InstanceNormalization")
        .hasMessageContaining("'/norm/InstanceNormalization'")
        .hasMessageContaining(
            "is not supported; supported operators: Add, AveragePool, BatchNormalization");
  }

  @Test
  void refusesAModelWithTwoOutputs() {
    assertThatThrownBy(() -> ModelFiles.read(OnnxFixtures.file("two_outputs.onnx")))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("2 outputs")
        .hasMessageContaining("one classification output is needed");
  }

  @Test
  void refusesADynamicImageSizeWithoutAnInputShape() {
    assertThatThrownBy(() -> ModelFiles.read(OnnxFixtures.file("dynamic_size.onnx")))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("dynamic height 'height', width 'width'")
        .hasMessageContaining("give the input shape");
  }

  @Test
  void importsADynamicImageSizeAtTheGivenInputShape() {
    CnnModel model =
        ModelFiles.read(OnnxFixtures.file("dynamic_size.onnx"), new InputShape(3, 8, 8));
    OnnxFixtures.Expected expected = OnnxFixtures.expected("dynamic_size");

    INDArray logits = OnnxFixtures.logits(model, expected.input());

    assertThat(model.inputShape()).isEqualTo(new InputShape(3, 8, 8));
    assertThat(OnnxFixtures.maxDifference(logits, expected.output())).isLessThan(1e-4);
  }

  @Test
  void refusesAnOpsetOutsideElevenToSeventeen() throws IOException {
    Onnx.ModelProto model =
        Onnx.ModelProto.parseFrom(Files.readAllBytes(OnnxFixtures.file("vgg11.onnx")));
    Onnx.ModelProto old =
        model.toBuilder()
            .clearOpsetImport()
            .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(9))
            .build();
    Path file = Files.write(dir.resolve("old.onnx"), old.toByteArray());

    assertThatThrownBy(() -> ModelFiles.read(file))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("opset 9 is not supported")
        .hasMessageContaining("between 11 and 17");
  }
}
