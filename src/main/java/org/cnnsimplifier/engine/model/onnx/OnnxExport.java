package org.cnnsimplifier.engine.model.onnx;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import onnx.Onnx;
import org.cnnsimplifier.engine.InvalidModelException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.NetworkSteps;
import org.cnnsimplifier.engine.model.PreprocessingProperties;

/**
 * Writes a model as ONNX (opset {@value #OPSET}), the format PyTorch users load with ONNX Runtime
 * or convert onwards: input {@code input} {@code [batch, C, H, W]}, output {@code output} {@code
 * [batch, classes]} — logits when the model came in with logits, else probabilities. The input
 * preprocessing, which ONNX has no operator for, is recorded in {@code metadata_props} ({@code
 * preprocessing.scale}, {@code .mean}, {@code .std}, {@code .channel_order}) and read back on
 * import.
 */
public final class OnnxExport {
  public static final int OPSET = 13;
  private static final int IR_VERSION = 7;

  private OnnxExport() {}

  /** Why the model cannot be written as ONNX, or empty when it can. */
  public static Optional<String> refusal(CnnModel model) {
    try {
      build(model, false);
      return Optional.empty();
    } catch (InvalidModelException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Writes the model to {@code out}.
   *
   * @throws InvalidModelException naming a layer ONNX export does not support
   */
  public static void write(CnnModel model, OutputStream out) throws IOException {
    build(model, true).writeTo(out);
  }

  public static void write(CnnModel model, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      write(model, out);
    }
  }

  /** The model as a ModelProto; without weights only the structure is checked. */
  static Onnx.ModelProto build(CnnModel model, boolean weights) {
    NetworkSteps network = NetworkSteps.of(model);
    OnnxGraphWriter graph = new OnnxGraphWriter(weights);
    OnnxLayerWriter layers = new OnnxLayerWriter(graph, network, model.logitsOutput());
    graph.rename(network.input(), "input");
    for (NetworkSteps.Step step : network.steps()) {
      layers.write(step);
    }
    InputShape shape = model.inputShape();
    Onnx.GraphProto.Builder proto = graph.proto();
    proto
        .setName("cnn_simplifier")
        .addInput(valueInfo("input", shape.channels(), shape.height(), shape.width()))
        .addOutput(valueInfo("output", model.numClasses()));
    Onnx.ModelProto.Builder result =
        Onnx.ModelProto.newBuilder()
            .setIrVersion(IR_VERSION)
            .setProducerName("CNN Simplifier")
            .setDocString(
                "Exported by CNN Simplifier; output: "
                    + (model.logitsOutput() ? "logits" : "probabilities"))
            .addOpsetImport(Onnx.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
            .setGraph(proto);
    PreprocessingProperties.write(
        model.preprocessing(),
        (key, value) ->
            result.addMetadataProps(
                Onnx.StringStringEntryProto.newBuilder().setKey(key).setValue(value)));
    result.addMetadataProps(
        Onnx.StringStringEntryProto.newBuilder()
            .setKey("output")
            .setValue(model.logitsOutput() ? "logits" : "probabilities"));
    return result.build();
  }

  private static Onnx.ValueInfoProto valueInfo(String name, long... dims) {
    Onnx.TensorShapeProto.Builder shape = Onnx.TensorShapeProto.newBuilder();
    shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"));
    for (long d : dims) {
      shape.addDim(Onnx.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
    }
    return Onnx.ValueInfoProto.newBuilder()
        .setName(name)
        .setType(
            Onnx.TypeProto.newBuilder()
                .setTensorType(
                    Onnx.TypeProto.Tensor.newBuilder()
                        .setElemType(Onnx.TensorProto.DataType.FLOAT.getNumber())
                        .setShape(shape)))
        .build();
  }

  static List<String> list(String... names) {
    return List.of(names);
  }
}
