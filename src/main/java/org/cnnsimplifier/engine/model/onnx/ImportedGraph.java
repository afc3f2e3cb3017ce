package org.cnnsimplifier.engine.model.onnx;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The DL4J network an ONNX graph becomes: named layers and vertices with their inputs and
 * parameters, assembled into a MultiLayerNetwork when they form a chain (so every criterion works
 * on it) and into a ComputationGraph otherwise.
 */
final class ImportedGraph {
  /** One layer or vertex and the parameters to load into it. */
  static final class Vertex {
    final String name;
    Object conf;
    final List<String> inputs;
    final Map<String, INDArray> params = new LinkedHashMap<>();

    Vertex(String name, Object conf, List<String> inputs) {
      this.name = name;
      this.conf = conf;
      this.inputs = List.copyOf(inputs);
    }

    boolean isLayer() {
      return conf instanceof org.deeplearning4j.nn.conf.layers.Layer;
    }
  }

  private final String input;
  private final long channels;
  private final long height;
  private final long width;
  private final Map<String, Vertex> vertices = new LinkedHashMap<>();

  ImportedGraph(String input, long channels, long height, long width) {
    this.input = input;
    this.channels = channels;
    this.height = height;
    this.width = width;
  }

  String input() {
    return input;
  }

  Vertex add(String name, Object conf, List<String> inputs) {
    Vertex vertex = new Vertex(name, conf, inputs);
    vertices.put(name, vertex);
    return vertex;
  }

  Vertex vertex(String name) {
    return vertices.get(name);
  }

  /** How many vertices read the named one. */
  int readers(String name) {
    int n = 0;
    for (Vertex v : vertices.values()) {
      n += (int) v.inputs.stream().filter(name::equals).count();
    }
    return n;
  }

  /** A MultiLayerNetwork for a chain of layers, else a ComputationGraph, with the parameters. */
  Object build(String output) {
    List<Vertex> kept = reachable(output);
    NeuralNetConfiguration.Builder base =
        new NeuralNetConfiguration.Builder()
            .seed(12345)
            .dataType(DataType.FLOAT)
            .weightInit(WeightInit.XAVIER)
            .updater(new Adam(1e-3));
    InputType type = InputType.convolutional(height, width, channels, CNN2DFormat.NCHW);
    if (isChain(kept, output)) {
      NeuralNetConfiguration.ListBuilder list = base.list();
      for (int i = 0; i < kept.size(); i++) {
        list.layer(i, (org.deeplearning4j.nn.conf.layers.Layer) kept.get(i).conf);
      }
      MultiLayerConfiguration conf = list.setInputType(type).build();
      MultiLayerNetwork network = new MultiLayerNetwork(conf);
      network.init();
      for (int i = 0; i < kept.size(); i++) {
        load(network.getLayer(i), kept.get(i));
      }
      return network;
    }
    ComputationGraphConfiguration.GraphBuilder graph =
        base.graphBuilder().addInputs(input).setInputTypes(type);
    for (Vertex v : kept) {
      String[] inputs = v.inputs.toArray(String[]::new);
      if (v.isLayer()) {
        graph.addLayer(v.name, (org.deeplearning4j.nn.conf.layers.Layer) v.conf, inputs);
      } else {
        graph.addVertex(v.name, (GraphVertex) v.conf, inputs);
      }
    }
    ComputationGraph network = new ComputationGraph(graph.setOutputs(output).build());
    network.init();
    for (Vertex v : kept) {
      if (v.isLayer()) {
        load(network.getLayer(v.name), v);
      }
    }
    return network;
  }

  /** The vertices the output depends on, in the order they were added. */
  private List<Vertex> reachable(String output) {
    Set<String> needed = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(output));
    while (!todo.isEmpty()) {
      String name = todo.pop();
      Vertex v = vertices.get(name);
      if (v != null && needed.add(name)) {
        todo.addAll(v.inputs);
      }
    }
    List<Vertex> kept = new ArrayList<>();
    for (Vertex v : vertices.values()) {
      if (needed.contains(v.name)) {
        kept.add(v);
      }
    }
    return kept;
  }

  private boolean isChain(List<Vertex> kept, String output) {
    String previous = input;
    for (Vertex v : kept) {
      if (!v.isLayer() || !v.inputs.equals(List.of(previous))) {
        return false;
      }
      previous = v.name;
    }
    return previous.equals(output);
  }

  private static void load(Layer layer, Vertex v) {
    for (Map.Entry<String, INDArray> param : v.params.entrySet()) {
      INDArray target = layer.getParam(param.getKey());
      if (target == null || target.length() != param.getValue().length()) {
        throw new IllegalStateException(
            "parameter " + v.name + "/" + param.getKey() + " does not fit its layer");
      }
      target.assign(param.getValue().reshape('c', target.shape()));
    }
  }
}
