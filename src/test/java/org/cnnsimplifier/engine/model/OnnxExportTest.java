package org.cnnsimplifier.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import onnx.Onnx;
import org.cnnsimplifier.engine.model.onnx.OnnxExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX export checked by ONNX Runtime: the exported file computes what the DL4J network computes,
 * within 1e-4, for imported PyTorch models as they are and after simplification.
 */
class OnnxExportTest {
  static final List<String> IMPORTABLE = OnnxFixtures.IMPORTABLE;

  @TempDir Path dir;

  @ParameterizedTest
  @FieldSource("IMPORTABLE")
  void exportedModelRunsInOnnxRuntimeAsTheNetworkAndPyTorchDo(String name) throws IOException {
    CnnModel model = ModelFiles.read(OnnxFixtures.file(name + ".onnx"));
    OnnxFixtures.Expected expected = OnnxFixtures.expected(name);

    INDArray runtime = OnnxRuntimeRun.run(export(model), expected.input());

    INDArray network = outputs(model, expected.input());
    double vsNetwork = OnnxFixtures.maxDifference(runtime, network);
    double vsPyTorch = OnnxFixtures.maxDifference(runtime, expected.output());
    System.out.printf(
        "%s: max |ONNX Runtime - DL4J| = %.3g, |ONNX Runtime - PyTorch| = %.3g%n",
        name, vsNetwork, vsPyTorch);
    assertThat(vsNetwork).isLessThan(1e-4);
    assertThat(vsPyTorch).isLessThan(1e-4);
  }

  @Test
  void writesOpset13WithBatchDimensionAndPreprocessingMetadata() throws IOException {
    InputPreprocessing normalised =
        new InputPreprocessing(
            1.0 / 255,
            List.of(0.485, 0.456, 0.406),
            List.of(0.229, 0.224, 0.225),
            InputPreprocessing.ChannelOrder.RGB);
    CnnModel model = ModelFiles.read(OnnxFixtures.file("vgg11.onnx")).withPreprocessing(normalised);

    Onnx.ModelProto proto = Onnx.ModelProto.parseFrom(export(model));

    assertThat(proto.getOpsetImport(0).getVersion()).isEqualTo(13L);
    Onnx.ValueInfoProto input = proto.getGraph().getInput(0);
    assertThat(input.getName()).isEqualTo("input");
    assertThat(input.getType().getTensorType().getShape().getDim(0).getDimParam())
        .isEqualTo("batch");
    assertThat(proto.getMetadataPropsList())
        .extracting(Onnx.StringStringEntryProto::getKey, Onnx.StringStringEntryProto::getValue)
        .contains(
            org.assertj.core.groups.Tuple.tuple("preprocessing.mean", "0.485,0.456,0.406"),
            org.assertj.core.groups.Tuple.tuple("preprocessing.channel_order", "RGB"),
            org.assertj.core.groups.Tuple.tuple("output", "logits"));

    Path file = Files.write(dir.resolve("vgg11.onnx"), proto.toByteArray());
    CnnModel back = ModelFiles.read(file);
    assertThat(back.preprocessing()).isEqualTo(normalised);
    assertThat(back.logitsOutput()).isTrue();
  }

  @Test
  void simplifiedChainRunsInOnnxRuntimeWithFewerParameters() throws IOException {
    CnnModel model = ModelFiles.read(OnnxFixtures.file("vgg11.onnx"));

    CnnModel simplified = RandomImages.simplify(model, List.of("features.0", "features.3"));

    assertThat(simplified.numParams()).isLessThan(model.numParams());
    assertRuntimeAgrees(simplified, 64);
  }

  @Test
  void simplifiedResidualGraphRunsInOnnxRuntimeWithFewerParameters() throws IOException {
    CnnModel model = ModelFiles.read(OnnxFixtures.file("resnet18.onnx"));

    CnnModel simplified = RandomImages.simplify(model, List.of("layer1.0.conv1", "layer2.1.conv1"));

    assertThat(simplified.numParams()).isLessThan(model.numParams());
    assertThat(simplified.layerConf("layer1.0.conv1"))
        .extracting(l -> ((org.deeplearning4j.nn.conf.layers.ConvolutionLayer) l).getNOut())
        .isEqualTo(2L);
    assertRuntimeAgrees(simplified, 32);
  }

  private static void assertRuntimeAgrees(CnnModel model, int size) throws IOException {
    INDArray images = OnnxFixtures.images(2, 3, size, size);
    INDArray runtime = OnnxRuntimeRun.run(export(model), images);
    double difference = OnnxFixtures.maxDifference(runtime, outputs(model, images));
    System.out.printf("simplified: max |ONNX Runtime - DL4J| = %.3g%n", difference);
    assertThat(difference).isLessThan(1e-4);
  }

  private static INDArray outputs(CnnModel model, INDArray images) {
    return model.logitsOutput() ? OnnxFixtures.logits(model, images) : model.output(images);
  }

  static byte[] export(CnnModel model) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OnnxExport.write(model, out);
    return out.toByteArray();
  }
}
