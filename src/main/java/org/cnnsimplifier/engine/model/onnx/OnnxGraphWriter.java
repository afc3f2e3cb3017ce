package org.cnnsimplifier.engine.model.onnx;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import onnx.Onnx;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.protobuf.ByteString;

/**
 * An ONNX graph under construction: nodes, initializers, and which tensor holds each DL4J vertex's
 * output. Without weights, initializers are left out (only the structure is checked).
 */
final class OnnxGraphWriter {
  private final boolean weights;
  private final Onnx.GraphProto.Builder graph = Onnx.GraphProto.newBuilder();
  private final Map<String, String> tensors = new HashMap<>();
  private final Set<String> used = new HashSet<>();

  OnnxGraphWriter(boolean weights) {
    this.weights = weights;
  }

  Onnx.GraphProto.Builder proto() {
    return graph;
  }

  /** The tensor holding a vertex's output. */
  String tensor(String vertex) {
    return tensors.getOrDefault(vertex, vertex);
  }

  void rename(String vertex, String tensor) {
    tensors.put(vertex, tensor);
    used.add(tensor);
  }

  /** A tensor or node name not used yet, derived from {@code base}. */
  String fresh(String base) {
    String name = base;
    for (int i = 2; !used.add(name); i++) {
      name = base + "_" + i;
    }
    return name;
  }

  void node(
      String op,
      String name,
      List<String> inputs,
      String output,
      Onnx.AttributeProto... attributes) {
    Onnx.NodeProto.Builder node =
        Onnx.NodeProto.newBuilder()
            .setOpType(op)
            .setName(fresh(name + "/" + op))
            .addAllInput(inputs)
            .addOutput(output);
    for (Onnx.AttributeProto attribute : attributes) {
      node.addAttribute(attribute);
    }
    graph.addNode(node);
  }

  /** A float initializer with the array's shape and values. */
  String initializer(String name, INDArray value) {
    String tensor = fresh(name);
    if (weights) {
      INDArray c = value.dup('c');
      graph.addInitializer(OnnxTensors.floats(tensor, c.shape(), c.data().asFloat()));
    }
    return tensor;
  }

  String initializer(String name, long[] dims, float[] values) {
    String tensor = fresh(name);
    if (weights) {
      graph.addInitializer(OnnxTensors.floats(tensor, dims, values));
    }
    return tensor;
  }

  String scalar(String name, float value) {
    return initializer(name, new long[0], new float[] {value});
  }

  String int64s(String name, long... values) {
    String tensor = fresh(name);
    graph.addInitializer(OnnxTensors.longs(tensor, new long[] {values.length}, values));
    return tensor;
  }

  static Onnx.AttributeProto ints(String name, long... values) {
    Onnx.AttributeProto.Builder a =
        Onnx.AttributeProto.newBuilder()
            .setName(name)
            .setType(Onnx.AttributeProto.AttributeType.INTS);
    for (long v : values) {
      a.addInts(v);
    }
    return a.build();
  }

  static Onnx.AttributeProto integer(String name, long value) {
    return Onnx.AttributeProto.newBuilder()
        .setName(name)
        .setType(Onnx.AttributeProto.AttributeType.INT)
        .setI(value)
        .build();
  }

  static Onnx.AttributeProto real(String name, float value) {
    return Onnx.AttributeProto.newBuilder()
        .setName(name)
        .setType(Onnx.AttributeProto.AttributeType.FLOAT)
        .setF(value)
        .build();
  }

  static Onnx.AttributeProto text(String name, String value) {
    return Onnx.AttributeProto.newBuilder()
        .setName(name)
        .setType(Onnx.AttributeProto.AttributeType.STRING)
        .setS(ByteString.copyFromUtf8(value))
        .build();
  }
}
