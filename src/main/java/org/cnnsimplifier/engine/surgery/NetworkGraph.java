package org.cnnsimplifier.engine.surgery;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * One view of a network configuration, sequential or graph, as named nodes in topological order
 * with their inputs, consumers and activation types: what the channel analysis walks.
 *
 * <p>A MultiLayerNetwork is a chain: each layer's input is the previous layer (the first reads
 * {@link #NETWORK_INPUT}). In a ComputationGraph the nodes are all vertices, layers and others. The
 * view reads the configuration it is given and never changes it; the surgery changes a clone.
 */
final class NetworkGraph {

  /** The input of a MultiLayerNetwork, as a node name. */
  static final String NETWORK_INPUT = "<network input>";

  private final MultiLayerConfiguration sequential;
  private final ComputationGraphConfiguration graph;
  private final List<String> order = new ArrayList<>();
  private final Map<String, List<String>> inputs = new HashMap<>();
  private final Map<String, List<String>> consumers = new LinkedHashMap<>();
  private final Map<String, Integer> index = new HashMap<>();
  private final Map<String, InputType> outputTypes = new HashMap<>();
  private final List<String> networkInputs;
  private final List<String> networkOutputs;

  private NetworkGraph(MultiLayerConfiguration conf, InputType input) {
    this.sequential = conf;
    this.graph = null;
    String previous = NETWORK_INPUT;
    List<InputType> types = conf.getLayerActivationTypes(input);
    for (int i = 0; i < conf.getConfs().size(); i++) {
      String name = conf.getConf(i).getLayer().getLayerName();
      add(name, List.of(previous));
      outputTypes.put(name, types.get(i));
      previous = name;
    }
    outputTypes.put(NETWORK_INPUT, input);
    networkInputs = List.of(NETWORK_INPUT);
    networkOutputs = List.of(previous);
  }

  private NetworkGraph(ComputationGraphConfiguration conf, InputType input) {
    this.sequential = null;
    this.graph = conf;
    networkInputs = List.copyOf(conf.getNetworkInputs());
    networkOutputs = List.copyOf(conf.getNetworkOutputs());
    for (String name : topologicalOrder(conf)) {
      add(name, conf.getVertexInputs().getOrDefault(name, List.of()));
    }
    // On a clone: DL4J's type inference may fill in missing preprocessors as it goes.
    outputTypes.putAll(conf.clone().getLayerActivationTypes(true, false, input));
    for (String in : networkInputs) {
      outputTypes.put(in, input);
    }
  }

  static NetworkGraph of(CnnModel model) {
    return model.isGraph()
        ? of(model.graph().getConfiguration(), model.inputShape())
        : of(model.network().getLayerWiseConfigurations(), model.inputShape());
  }

  static NetworkGraph of(MultiLayerConfiguration conf, InputShape shape) {
    return new NetworkGraph(conf, inputType(shape));
  }

  static NetworkGraph of(ComputationGraphConfiguration conf, InputShape shape) {
    return new NetworkGraph(conf, inputType(shape));
  }

  private static InputType inputType(InputShape shape) {
    return InputType.convolutional(shape.height(), shape.width(), shape.channels());
  }

  private void add(String name, List<String> from) {
    index.put(name, order.size());
    order.add(name);
    inputs.put(name, List.copyOf(from));
    for (String source : from) {
      consumers.computeIfAbsent(source, k -> new ArrayList<>()).add(name);
    }
  }

  /** Every node but the network inputs, in topological order. */
  List<String> order() {
    return order;
  }

  /** The position of a node in {@link #order()}, or -1 for a network input. */
  int position(String node) {
    return index.getOrDefault(node, -1);
  }

  boolean isNetworkInput(String node) {
    return networkInputs.contains(node);
  }

  List<String> networkOutputs() {
    return networkOutputs;
  }

  /** The nodes whose outputs this node reads, in input order. */
  List<String> inputs(String node) {
    return inputs.getOrDefault(node, List.of());
  }

  /** The nodes reading this node's output. */
  List<String> consumers(String node) {
    return consumers.getOrDefault(node, List.of());
  }

  /** The layer configuration of a node, or null when the node is not a layer. */
  Layer layer(String node) {
    if (sequential != null) {
      return sequential.getConf(requirePosition(node)).getLayer();
    }
    return vertex(node) instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
  }

  /** The vertex configuration of a graph node; null in a MultiLayerNetwork. */
  GraphVertex vertex(String node) {
    if (graph == null) {
      return null;
    }
    GraphVertex vertex = graph.getVertices().get(node);
    if (vertex == null) {
      throw new IllegalArgumentException(
          "no vertex named '" + node + "'; vertices: " + graph.getVertices().keySet());
    }
    return vertex;
  }

  /** What a node is, for messages: its layer or vertex class. */
  String kind(String node) {
    Layer layer = layer(node);
    return layer != null
        ? layer.getClass().getSimpleName()
        : vertex(node).getClass().getSimpleName();
  }

  /** The preprocessor applied to a layer's input, or null. */
  InputPreProcessor preProcessor(String node) {
    if (sequential != null) {
      return sequential.getInputPreProcess(requirePosition(node));
    }
    return vertex(node) instanceof LayerVertex lv ? lv.getPreProcessor() : null;
  }

  /** The activation type a node outputs (the network input's type for a network input). */
  InputType outputType(String node) {
    return outputTypes.get(node);
  }

  private int requirePosition(String node) {
    Integer at = index.get(node);
    if (at == null) {
      throw new IllegalArgumentException("no layer named '" + node + "'; layers: " + order);
    }
    return at;
  }

  /** Kahn's algorithm, ties broken by the order the vertices were added: stable and complete. */
  private static List<String> topologicalOrder(ComputationGraphConfiguration conf) {
    Map<String, Integer> pending = new LinkedHashMap<>();
    Map<String, List<String>> readers = new HashMap<>();
    for (String name : conf.getVertices().keySet()) {
      List<String> from = conf.getVertexInputs().getOrDefault(name, List.of());
      int count = 0;
      for (String source : from) {
        if (!conf.getNetworkInputs().contains(source)) {
          count++;
          readers.computeIfAbsent(source, k -> new ArrayList<>()).add(name);
        }
      }
      pending.put(name, count);
    }
    Deque<String> ready = new ArrayDeque<>();
    pending.forEach(
        (name, count) -> {
          if (count == 0) {
            ready.add(name);
          }
        });
    List<String> result = new ArrayList<>();
    while (!ready.isEmpty()) {
      String next = ready.poll();
      result.add(next);
      for (String reader : readers.getOrDefault(next, List.of())) {
        if (pending.merge(reader, -1, Integer::sum) == 0) {
          ready.add(reader);
        }
      }
    }
    if (result.size() != pending.size()) {
      throw new IllegalArgumentException("the graph has a cycle");
    }
    return result;
  }
}
