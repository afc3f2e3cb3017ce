package org.cnnsimplifier.engine.model.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import onnx.Onnx;
import org.cnnsimplifier.engine.InvalidModelException;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Walks an ONNX graph in its (topological) node order and builds the DL4J network: each node
 * becomes a layer or vertex ({@link LayerOps}), an alias of its input (Flatten, the Reshape that
 * flattens, Identity), or a constant ({@link ConstantFolding}). The output gets a softmax with
 * cross-entropy so the network can be retrained: a final Gemm becomes the output layer, anything
 * else is followed by a loss layer. Any operator outside the supported set is refused, naming the
 * operator and the node.
 */
final class OnnxConverter {
  /** The operators that become part of the network. */
  static final Set<String> SUPPORTED =
      new TreeSet<>(
          Set.of(
              "Conv",
              "ConvTranspose",
              "BatchNormalization",
              "Relu",
              "Clip",
              "LeakyRelu",
              "PRelu",
              "Sigmoid",
              "HardSigmoid",
              "HardSwish",
              "MaxPool",
              "AveragePool",
              "GlobalAveragePool",
              "GlobalMaxPool",
              "Gemm",
              "MatMul",
              "Flatten",
              "Reshape",
              "Add",
              "Concat",
              "Dropout",
              "Softmax",
              "Pad",
              "Identity"));

  final Map<String, Constant> constants = new HashMap<>();
  final Map<String, Value> values = new HashMap<>();
  final ImportedGraph graph;
  final NodeNames names;
  final int opset;
  private final LayerOps ops;
  private String softmaxOutput;

  OnnxConverter(ImportedGraph graph, int opset) {
    this.graph = graph;
    this.opset = opset;
    this.names = new NodeNames(graph.input());
    this.ops = new LayerOps(this);
  }

  void convert(List<Onnx.NodeProto> nodes) {
    for (Onnx.NodeProto node : nodes) {
      String domain = node.getDomain();
      if (!domain.isEmpty() && !domain.equals("ai.onnx")) {
        throw refuse(node, "its operator domain '" + domain + "' is not standard ONNX");
      }
      if (foldable(node)) {
        fold(node);
      } else {
        layer(node);
      }
    }
  }

  private boolean foldable(Onnx.NodeProto node) {
    if (!ConstantFolding.FOLDABLE.contains(node.getOpType())) {
      return false;
    }
    if (node.getOpType().equals("Shape")) {
      return true;
    }
    for (String input : node.getInputList()) {
      if (!input.isEmpty() && !constants.containsKey(input)) {
        return false;
      }
    }
    return true;
  }

  private void fold(Onnx.NodeProto node) {
    Constant result;
    try {
      if (node.getOpType().equals("Shape") && values.containsKey(node.getInput(0))) {
        Value x = values.get(node.getInput(0));
        long[] dims = new long[x.dims().length + 1];
        System.arraycopy(x.dims(), 0, dims, 1, x.dims().length);
        result = ConstantFolding.shape(dims, new Attributes(node), true);
      } else {
        List<Constant> inputs = new ArrayList<>();
        for (String input : node.getInputList()) {
          inputs.add(input.isEmpty() ? null : constant(node, input));
        }
        result = ConstantFolding.fold(node, inputs, opset);
      }
    } catch (InvalidModelException e) {
      throw e;
    } catch (RuntimeException e) {
      throw refuse(node, "its constant inputs cannot be evaluated (" + e.getMessage() + ")");
    }
    constants.put(node.getOutput(0), result);
  }

  private void layer(Onnx.NodeProto node) {
    String op = node.getOpType();
    switch (op) {
      case "Conv" -> ops.conv(node);
      case "ConvTranspose" -> ops.convTranspose(node);
      case "BatchNormalization" -> ops.batchNorm(node);
      case "MaxPool", "AveragePool" -> ops.pool(node);
      case "GlobalAveragePool", "GlobalMaxPool" -> ops.globalPool(node);
      case "Pad" -> ops.pad(node);
      case "PRelu" -> ops.prelu(node);
      case "Gemm" -> ops.gemm(node);
      case "MatMul" -> ops.matMul(node);
      case "Relu", "Clip", "LeakyRelu", "Sigmoid", "HardSigmoid", "HardSwish" -> activation(node);
      case "Add" -> add(node);
      case "Mul" -> mul(node);
      case "Concat" -> concat(node);
      case "Flatten" -> flatten(node);
      case "Reshape" -> reshape(node);
      case "Identity" -> alias(node, input(node, 0));
      case "Dropout" -> dropout(node);
      case "Softmax" -> softmax(node);
      default ->
          throw refuse(
              node,
              ConstantFolding.FOLDABLE.contains(op)
                  ? "it works on the network's feature maps, which only these operators may: "
                      + String.join(", ", SUPPORTED)
                  : "the operator is not supported; supported operators: "
                      + String.join(", ", SUPPORTED));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Element-wise and structural nodes

  private void activation(Onnx.NodeProto node) {
    Value x = input(node, 0);
    Attributes a = new Attributes(node);
    IActivation fn;
    boolean nonNegative = true;
    switch (node.getOpType()) {
      case "Relu" -> fn = Activation.RELU.getActivationFunction();
      case "Sigmoid" -> fn = Activation.SIGMOID.getActivationFunction();
      case "HardSwish" -> {
        fn = new org.cnnsimplifier.engine.model.HardSwishActivation();
        nonNegative = false;
      }
      case "LeakyRelu" -> {
        fn = new org.nd4j.linalg.activations.impl.ActivationLReLU(a.real("alpha", 0.01f));
        nonNegative = false;
      }
      case "HardSigmoid" -> {
        double alpha = a.real("alpha", 0.2f);
        double beta = a.real("beta", 0.5f);
        fn =
            Math.abs(alpha - 0.2) < 1e-7 && Math.abs(beta - 0.5) < 1e-7
                ? Activation.HARDSIGMOID.getActivationFunction()
                : new org.cnnsimplifier.engine.model.HardSigmoidActivation(alpha, beta);
      }
      default -> {
        fn = clip(node, a);
        nonNegative = !(fn instanceof org.nd4j.linalg.activations.impl.ActivationHardTanH);
      }
    }
    String name = names.of(node, null);
    graph.add(
        name, new ActivationLayer.Builder().activation(fn).name(name).build(), List.of(x.vertex()));
    values.put(node.getOutput(0), x.at(name, x.dims(), nonNegative));
  }

  private IActivation clip(Onnx.NodeProto node, Attributes a) {
    double min = optionalScalar(node, 1, a.real("min", Float.NEGATIVE_INFINITY));
    double max = optionalScalar(node, 2, a.real("max", Float.POSITIVE_INFINITY));
    if (min == 0 && max == 6) {
      return Activation.RELU6.getActivationFunction();
    }
    if (min == 0 && Double.isInfinite(max)) {
      return Activation.RELU.getActivationFunction();
    }
    if (min == 0 && max > 0) {
      return new org.nd4j.linalg.activations.impl.ActivationReLU(max, null, null);
    }
    if (min == -1 && max == 1) {
      return Activation.HARDTANH.getActivationFunction();
    }
    throw refuse(
        node,
        "Clip to ["
            + min
            + ", "
            + max
            + "] is not supported; only [0, max] (ReLU, ReLU6) and [-1, 1] are");
  }

  private double optionalScalar(Onnx.NodeProto node, int index, double fallback) {
    if (node.getInputCount() <= index || node.getInput(index).isEmpty()) {
      return fallback;
    }
    return constant(node, node.getInput(index)).scalar();
  }

  private void add(Onnx.NodeProto node) {
    String a = node.getInput(0);
    String b = node.getInput(1);
    if (constants.containsKey(a) != constants.containsKey(b)) {
      String x = constants.containsKey(a) ? b : a;
      Constant bias = constants.get(constants.containsKey(a) ? a : b);
      if (ops.addBias(node, input(node, x.equals(a) ? 0 : 1), bias)) {
        return;
      }
      throw refuse(node, "adding a constant is supported only as the bias of a MatMul");
    }
    Value left = input(node, 0);
    Value right = input(node, 1);
    requireSameShape(node, left, right);
    String name = names.of(node, null);
    graph.add(
        name,
        new ElementWiseVertex(ElementWiseVertex.Op.Add),
        List.of(left.vertex(), right.vertex()));
    values.put(
        node.getOutput(0), left.at(name, left.dims(), left.nonNegative() && right.nonNegative()));
  }

  /** x · HardSigmoid(x) with PyTorch's slope: how opsets before 14 export HardSwish. */
  private void mul(Onnx.NodeProto node) {
    Value left = input(node, 0);
    Value right = input(node, 1);
    for (Value[] pair : new Value[][] {{left, right}, {right, left}}) {
      ImportedGraph.Vertex gate = graph.vertex(pair[1].vertex());
      if (gate != null
          && gate.inputs.equals(List.of(pair[0].vertex()))
          && gate.conf instanceof ActivationLayer layer
          && layer.getActivationFn()
              instanceof org.cnnsimplifier.engine.model.HardSigmoidActivation h
          && Math.abs(h.alpha() - 1.0 / 6) < 1e-6
          && Math.abs(h.beta() - 0.5) < 1e-6) {
        String name = names.of(node, null);
        graph.add(
            name,
            new ActivationLayer.Builder()
                .activation(new org.cnnsimplifier.engine.model.HardSwishActivation())
                .name(name)
                .build(),
            List.of(pair[0].vertex()));
        values.put(node.getOutput(0), pair[0].at(name, pair[0].dims(), false));
        return;
      }
    }
    throw refuse(
        node,
        "the operator is not supported (only x · HardSigmoid(x), PyTorch's HardSwish, is);"
            + " supported operators: "
            + String.join(", ", SUPPORTED));
  }

  private void concat(Onnx.NodeProto node) {
    long axis = new Attributes(node).integer("axis", 1);
    List<Value> parts = new ArrayList<>();
    for (int i = 0; i < node.getInputCount(); i++) {
      parts.add(input(node, i));
    }
    Value first = parts.get(0);
    int rank = first.dims().length + 1;
    if ((axis < 0 ? axis + rank : axis) != 1) {
      throw refuse(node, "Concat along axis " + axis + " is not supported; only channels (axis 1)");
    }
    long channels = 0;
    boolean nonNegative = true;
    for (Value part : parts) {
      if (part.dims().length != first.dims().length
          || (part.isSpatial()
              && (part.height() != first.height() || part.width() != first.width()))) {
        throw refuse(
            node, "its inputs differ in size: " + first.describe() + ", " + part.describe());
      }
      channels += part.dims()[0];
      nonNegative &= part.nonNegative();
    }
    long[] dims = first.dims().clone();
    dims[0] = channels;
    String name = names.of(node, null);
    graph.add(name, new MergeVertex(), parts.stream().map(Value::vertex).toList());
    values.put(node.getOutput(0), first.at(name, dims, nonNegative));
  }

  private void flatten(Onnx.NodeProto node) {
    Value x = input(node, 0);
    long axis = new Attributes(node).integer("axis", 1);
    if (axis != 1 && axis != -(x.dims().length)) {
      throw refuse(node, "Flatten with axis " + axis + " is not supported; only axis 1");
    }
    values.put(node.getOutput(0), x.flattened());
  }

  private void reshape(Onnx.NodeProto node) {
    Value x = input(node, 0);
    long[] target = constant(node, node.getInput(1)).longs();
    boolean firstIsBatch =
        target.length == 2
            && (target[0] == Constant.BATCH || target[0] == 0 || target[0] == 1 || target[0] == -1);
    boolean secondIsAll = target.length == 2 && (target[1] == -1 || target[1] == x.size());
    if (!firstIsBatch || !secondIsAll || (target[0] == -1 && target[1] == -1)) {
      throw refuse(
          node,
          "only the Reshape that flattens each image ([batch, -1]) is supported, not "
              + java.util.Arrays.toString(target).replace(String.valueOf(Constant.BATCH), "batch"));
    }
    values.put(node.getOutput(0), x.flattened());
  }

  private void dropout(Onnx.NodeProto node) {
    Value x = input(node, 0);
    if (node.getOutputCount() > 1 && !node.getOutput(1).isEmpty() && isUsed(node.getOutput(1))) {
      throw refuse(node, "its mask output is used; only inference-mode Dropout is supported");
    }
    double ratio = optionalScalar(node, 1, new Attributes(node).real("ratio", 0.5f));
    if (node.getInputCount() > 2
        && !node.getInput(2).isEmpty()
        && constant(node, node.getInput(2)).scalar() != 0) {
      throw refuse(node, "it is in training mode; export the model in inference mode");
    }
    if (ratio <= 0) {
      alias(node, x);
      return;
    }
    String name = names.of(node, null);
    // DL4J's dropout takes the probability of keeping an activation.
    graph.add(name, new DropoutLayer.Builder(1 - ratio).name(name).build(), List.of(x.vertex()));
    values.put(node.getOutput(0), x.at(name, x.dims(), x.nonNegative()));
  }

  private void softmax(Onnx.NodeProto node) {
    Value x = input(node, 0);
    long axis = new Attributes(node).integer("axis", opset >= 13 ? -1 : 1);
    if (x.isSpatial() || (axis != 1 && axis != -1)) {
      throw refuse(
          node, "only a softmax over the classes of a [batch, classes] output is supported");
    }
    softmaxOutput = node.getOutput(0);
    values.put(node.getOutput(0), x);
  }

  private void alias(Onnx.NodeProto node, Value x) {
    values.put(node.getOutput(0), x);
  }

  /**
   * Makes the network end in a trainable softmax classifier at {@code output}.
   *
   * @return the output vertex's name and whether the original output was logits
   */
  Output finish(String output) {
    Value out = values.get(output);
    if (out == null) {
      throw new InvalidModelException(
          "the graph output '" + output + "' is not computed from the image input");
    }
    if (out.isSpatial()) {
      throw new InvalidModelException(
          "the graph output '"
              + output
              + "' is "
              + out.describe()
              + ", not [batch, classes]; only image classifiers are supported");
    }
    boolean logits = !output.equals(softmaxOutput);
    int classes = (int) out.dims()[0];
    ImportedGraph.Vertex last = graph.vertex(out.vertex());
    if (last != null && last.conf instanceof DenseLayer dense && graph.readers(last.name) == 0) {
      last.conf =
          new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
              .activation(Activation.SOFTMAX)
              .nIn(dense.getNIn())
              .nOut(dense.getNOut())
              .hasBias(dense.hasBias())
              .name(last.name)
              .build();
      return new Output(last.name, logits);
    }
    String name = names.unique("softmax");
    LossLayer loss =
        new LossLayer.Builder(LossFunctions.LossFunction.MCXENT)
            .activation(Activation.SOFTMAX)
            .name(name)
            .build();
    loss.setNIn(classes);
    loss.setNOut(classes);
    graph.add(name, loss, List.of(out.vertex()));
    return new Output(name, logits);
  }

  record Output(String vertex, boolean logits) {}

  // ---------------------------------------------------------------------------------------------
  // Inputs and errors

  /** Input {@code index} of the node, which must be a tensor the network computes. */
  Value input(Onnx.NodeProto node, int index) {
    if (node.getInputCount() <= index || node.getInput(index).isEmpty()) {
      throw refuse(node, "input " + index + " is missing");
    }
    String name = node.getInput(index);
    Value value = values.get(name);
    if (value == null) {
      throw refuse(
          node,
          constants.containsKey(name)
              ? "input '" + name + "' is a constant where a feature map is expected"
              : "input '" + name + "' is not computed by any earlier node");
    }
    return value;
  }

  /** A constant input of the node; null when optional and absent. */
  Constant constant(Onnx.NodeProto node, int index, boolean required) {
    if (node.getInputCount() <= index || node.getInput(index).isEmpty()) {
      if (required) {
        throw refuse(node, "input " + index + " is missing");
      }
      return null;
    }
    return constant(node, node.getInput(index));
  }

  Constant constant(Onnx.NodeProto node, String name) {
    Constant value = constants.get(name);
    if (value == null) {
      throw refuse(
          node,
          "input '"
              + name
              + "' must be a constant (a weight or a fixed shape) but is computed by the network");
    }
    return value;
  }

  INDArray array(Constant c) {
    return c.array();
  }

  private boolean isUsed(String tensor) {
    return usedTensors.contains(tensor);
  }

  private final Set<String> usedTensors = new java.util.HashSet<>();

  /** Records the tensors some node or graph output reads. */
  void markUsed(Iterable<String> tensors) {
    tensors.forEach(usedTensors::add);
  }

  void requireSameShape(Onnx.NodeProto node, Value a, Value b) {
    if (!java.util.Arrays.equals(a.dims(), b.dims())) {
      throw refuse(
          node,
          "its inputs differ in shape ("
              + a.describe()
              + " and "
              + b.describe()
              + "); broadcasting is not supported");
    }
  }

  static InvalidModelException refuse(Onnx.NodeProto node, String why) {
    return new InvalidModelException(
        "node '"
            + node.getName()
            + "' (ONNX operator "
            + node.getOpType()
            + ") cannot be imported: "
            + why);
  }
}
