package org.cnnsimplifier.engine.model.onnx;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import onnx.Onnx;

/**
 * Layer names for imported nodes, as close to the user's own as possible: PyTorch's module path
 * ({@code layer1.0.conv1}) from the weight's name or from the node's scoped name ({@code
 * /layer1/layer1.0/conv1/Conv}, {@code /features/features.1/conv/conv.0/conv.0.0/Conv} for {@code
 * features.1.conv.0.0}), else the node's name. Names are unique and use only letters, digits, '.',
 * '_' and '-'.
 */
final class NodeNames {
  private final Set<String> used = new HashSet<>();

  NodeNames(String... reserved) {
    used.addAll(Set.of(reserved));
  }

  /** The name for a node, given the name of its weight initializer (may be null). */
  String of(Onnx.NodeProto node, String weight) {
    return unique(base(node, weight));
  }

  /** What {@link #of} starts from, not yet made unique. */
  static String base(Onnx.NodeProto node, String weight) {
    if (weight != null && weight.endsWith(".weight") && !weight.startsWith("onnx::")) {
      return weight.substring(0, weight.length() - ".weight".length());
    }
    return fromNodeName(node.getName(), node.getOpType());
  }

  /** A fresh name derived from another, e.g. "conv1_pad". */
  String unique(String base) {
    String clean = sanitize(base);
    String name = clean;
    for (int i = 2; !used.add(name); i++) {
      name = clean + "_" + i;
    }
    return name;
  }

  private static String fromNodeName(String name, String op) {
    if (name.isBlank()) {
      return op.toLowerCase(Locale.ROOT);
    }
    if (!name.startsWith("/")) {
      return name;
    }
    String[] parts = name.substring(1).split("/");
    int end = parts.length;
    if (end > 0 && parts[end - 1].startsWith(op)) {
      end--;
    }
    if (end == 0) {
      return op.toLowerCase(Locale.ROOT);
    }
    // Each scope extends the one before ("layer1" -> "layer1.0") or names a child of it ("conv1").
    String path = parts[0];
    for (int i = 1; i < end; i++) {
      path =
          parts[i].startsWith(parts[i - 1] + ".")
              ? path + parts[i].substring(parts[i - 1].length())
              : path + "." + parts[i];
    }
    return path;
  }

  private static String sanitize(String name) {
    String clean = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return clean.isEmpty() ? "node" : clean;
  }
}
