package org.cnnsimplifier.engine.model.onnx;

import java.util.HashMap;
import java.util.Map;
import onnx.Onnx;

/** The attributes of one ONNX node, by name, with defaults. */
final class Attributes {
  private final Map<String, Onnx.AttributeProto> byName = new HashMap<>();

  Attributes(Onnx.NodeProto node) {
    for (Onnx.AttributeProto attribute : node.getAttributeList()) {
      byName.put(attribute.getName(), attribute);
    }
  }

  boolean has(String name) {
    return byName.containsKey(name);
  }

  long integer(String name, long fallback) {
    Onnx.AttributeProto a = byName.get(name);
    return a == null ? fallback : a.getI();
  }

  float real(String name, float fallback) {
    Onnx.AttributeProto a = byName.get(name);
    return a == null ? fallback : a.getF();
  }

  String text(String name, String fallback) {
    Onnx.AttributeProto a = byName.get(name);
    return a == null ? fallback : a.getS().toStringUtf8();
  }

  /** An integer list, or {@code fallback} when absent or empty. */
  long[] integers(String name, long[] fallback) {
    Onnx.AttributeProto a = byName.get(name);
    if (a == null || a.getIntsCount() == 0) {
      return fallback;
    }
    return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
  }

  float[] reals(String name) {
    Onnx.AttributeProto a = byName.get(name);
    if (a == null) {
      return null;
    }
    float[] out = new float[a.getFloatsCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.getFloats(i);
    }
    return out;
  }

  Onnx.TensorProto tensor(String name) {
    Onnx.AttributeProto a = byName.get(name);
    return a == null || !a.hasT() ? null : a.getT();
  }
}
