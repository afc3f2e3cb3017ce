package org.cnnsimplifier.engine.model.onnx;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx;
import org.cnnsimplifier.engine.InvalidModelException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.engine.model.PreprocessingProperties;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.shade.protobuf.CodedInputStream;
import org.nd4j.shade.protobuf.InvalidProtocolBufferException;

/**
 * Reads an ONNX image classifier (opset 11–17, one image input {@code [batch, C, H, W]}, one output
 * {@code [batch, classes]}) into a trainable DL4J network. The protobuf is parsed with the ONNX
 * classes nd4j-api ships. Weights come from the initializers (and Constant nodes); the input shape
 * from the graph's input, or from the caller when the graph leaves the height or width dynamic.
 * Preprocessing recorded in the file's {@code metadata_props} (as this program exports it) is kept.
 */
public final class OnnxImport {
  public static final int MIN_OPSET = 11;
  public static final int MAX_OPSET = 17;

  private OnnxImport() {}

  /**
   * Whether the file's first bytes look like a serialized ModelProto: field 1 ({@code ir_version},
   * a varint) comes first in every file PyTorch, TensorFlow's converter or onnx.save write.
   */
  public static boolean looksLikeOnnx(byte[] head) {
    return head.length >= 2 && head[0] == 0x08 && head[1] > 0 && head[1] < 0x20;
  }

  /**
   * Reads the model.
   *
   * @param inputShapeHint used when the graph's input height, width or channels are dynamic
   * @throws InvalidModelException naming what cannot be imported
   */
  public static CnnModel read(Path file, InputShape inputShapeHint) {
    String name = file.getFileName().toString();
    Onnx.ModelProto model = parse(file, name);
    try {
      return convert(model, inputShapeHint, name);
    } catch (InvalidModelException e) {
      throw new InvalidModelException(name + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new InvalidModelException(
          name + " is an ONNX model that cannot be converted: " + e.getMessage(), e);
    }
  }

  private static Onnx.ModelProto parse(Path file, String name) {
    try (InputStream in = Files.newInputStream(file)) {
      CodedInputStream coded = CodedInputStream.newInstance(in);
      coded.setSizeLimit(Integer.MAX_VALUE);
      Onnx.ModelProto model = Onnx.ModelProto.parseFrom(coded);
      if (!model.hasGraph() || model.getGraph().getNodeCount() == 0) {
        throw new InvalidModelException(
            name + " is not an ONNX model (no graph); truncated or not an .onnx file?");
      }
      return model;
    } catch (InvalidProtocolBufferException e) {
      throw new InvalidModelException(
          name + " is not a readable ONNX model (truncated or damaged?): " + e.getMessage(), e);
    } catch (IOException e) {
      throw new InvalidModelException(name + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static CnnModel convert(Onnx.ModelProto model, InputShape hint, String name) {
    int opset = opset(model);
    Onnx.GraphProto graph = model.getGraph();
    Set<String> initializers = new HashSet<>();
    graph.getInitializerList().forEach(t -> initializers.add(t.getName()));
    List<Onnx.ValueInfoProto> inputs = new ArrayList<>();
    for (Onnx.ValueInfoProto input : graph.getInputList()) {
      if (!initializers.contains(input.getName())) {
        inputs.add(input);
      }
    }
    if (inputs.size() != 1) {
      throw new InvalidModelException(
          "the graph has " + inputs.size() + " inputs; one image input is needed");
    }
    if (graph.getOutputCount() != 1) {
      throw new InvalidModelException(
          "the graph has "
              + graph.getOutputCount()
              + " outputs ("
              + String.join(
                  ", ", graph.getOutputList().stream().map(Onnx.ValueInfoProto::getName).toList())
              + "); one classification output is needed");
    }
    Onnx.ValueInfoProto input = inputs.get(0);
    InputShape shape = inputShape(input, hint);
    ImportedGraph imported =
        new ImportedGraph("input", shape.channels(), shape.height(), shape.width());
    OnnxConverter converter = new OnnxConverter(imported, opset);
    for (Onnx.TensorProto tensor : graph.getInitializerList()) {
      converter.constants.put(tensor.getName(), OnnxTensors.read(tensor));
    }
    converter.values.put(
        input.getName(),
        new Value("input", new long[] {shape.channels(), shape.height(), shape.width()}, false));
    for (Onnx.NodeProto node : graph.getNodeList()) {
      converter.markUsed(node.getInputList());
    }
    converter.markUsed(graph.getOutputList().stream().map(Onnx.ValueInfoProto::getName).toList());
    converter.convert(graph.getNodeList());
    OnnxConverter.Output output = converter.finish(graph.getOutput(0).getName());
    Object network = imported.build(output.vertex());
    CnnModel result =
        network instanceof MultiLayerNetwork mln
            ? CnnModel.of(mln, shape, ModelFormat.ONNX)
            : CnnModel.of((ComputationGraph) network, shape, ModelFormat.ONNX);
    return result
        .withLogitsOutput(output.logits())
        .withPreprocessing(preprocessing(model, shape, name));
  }

  private static int opset(Onnx.ModelProto model) {
    Integer opset = null;
    for (Onnx.OperatorSetIdProto id : model.getOpsetImportList()) {
      if (id.getDomain().isEmpty() || id.getDomain().equals("ai.onnx")) {
        opset = (int) id.getVersion();
      }
    }
    if (opset == null) {
      throw new InvalidModelException("the model does not say its ONNX opset (no opset_import)");
    }
    if (opset < MIN_OPSET || opset > MAX_OPSET) {
      throw new InvalidModelException(
          "opset "
              + opset
              + " is not supported; export with opset_version between "
              + MIN_OPSET
              + " and "
              + MAX_OPSET);
    }
    return opset;
  }

  private static InputShape inputShape(Onnx.ValueInfoProto input, InputShape hint) {
    Onnx.TypeProto.Tensor type = input.getType().getTensorType();
    if (type.getElemType() != Onnx.TensorProto.DataType.FLOAT.getNumber()) {
      throw new InvalidModelException(
          "input '" + input.getName() + "' is not float32; an image input is needed");
    }
    List<Onnx.TensorShapeProto.Dimension> dims = type.getShape().getDimList();
    if (dims.size() != 4) {
      throw new InvalidModelException(
          "input '"
              + input.getName()
              + "' has "
              + dims.size()
              + " dimensions; an image classifier takes [batch, channels, height, width]");
    }
    long[] known = new long[3];
    List<String> dynamic = new ArrayList<>();
    String[] what = {"channels", "height", "width"};
    for (int i = 0; i < 3; i++) {
      Onnx.TensorShapeProto.Dimension d = dims.get(i + 1);
      known[i] = d.hasDimValue() ? d.getDimValue() : 0;
      if (known[i] <= 0) {
        dynamic.add(what[i] + (d.hasDimParam() ? " '" + d.getDimParam() + "'" : ""));
      }
    }
    if (dynamic.isEmpty()) {
      return new InputShape((int) known[0], (int) known[1], (int) known[2]);
    }
    if (hint == null) {
      throw new InvalidModelException(
          "input '"
              + input.getName()
              + "' has a dynamic "
              + String.join(", ", dynamic)
              + "; give the input shape (inputShape, e.g. 3x224x224)");
    }
    if (known[0] > 0 && known[0] != hint.channels()) {
      throw new InvalidModelException(
          "input '"
              + input.getName()
              + "' takes "
              + known[0]
              + " channels, not "
              + hint.channels());
    }
    return hint;
  }

  private static InputPreprocessing preprocessing(
      Onnx.ModelProto model, InputShape shape, String name) {
    Map<String, String> props = new HashMap<>();
    model.getMetadataPropsList().forEach(p -> props.put(p.getKey(), p.getValue()));
    try {
      InputPreprocessing preprocessing = PreprocessingProperties.read(props::get);
      preprocessing.checkFits(shape.channels());
      return preprocessing;
    } catch (IllegalArgumentException e) {
      // Recorded by another program in another way: the upload's settings decide.
      return InputPreprocessing.defaults();
    }
  }
}
