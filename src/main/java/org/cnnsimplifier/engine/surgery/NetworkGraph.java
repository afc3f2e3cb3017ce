package org.cnnsimplifier.engine.surgery;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * One view of a network configuration, sequential or graph, as named nodes with consumers: what the
 * channel analysis needs to walk from a layer to everything that reads its output.
 */
interface NetworkGraph {

  /** Marks the network's output in {@link #consumers}. */
  String NETWORK_OUTPUT = "<network output>";

  /** The layer configuration of a node, or null when the node is not a layer (a graph vertex). */
  Layer layer(String node);

  /** A short description of a non-layer node, e.g. "MergeVertex". */
  String vertexKind(String node);

  /** The preprocessor applied to the node's input, or null. */
  InputPreProcessor preProcessor(String node);

  /** Nodes reading this node's output, or {@link #NETWORK_OUTPUT}. */
  List<String> consumers(String node);

  static NetworkGraph of(MultiLayerConfiguration conf) {
    return new Sequential(conf);
  }

  static NetworkGraph of(ComputationGraphConfiguration conf) {
    return new Graph(conf);
  }

  /** A MultiLayerNetwork: each layer feeds the next one. */
  final class Sequential implements NetworkGraph {
    private final MultiLayerConfiguration conf;
    private final List<String> names = new ArrayList<>();

    Sequential(MultiLayerConfiguration conf) {
      this.conf = conf;
      for (int i = 0; i < conf.getConfs().size(); i++) {
        names.add(conf.getConf(i).getLayer().getLayerName());
      }
    }

    private int index(String node) {
      int index = names.indexOf(node);
      if (index < 0) {
        throw new IllegalArgumentException("no layer named '" + node + "'; layers: " + names);
      }
      return index;
    }

    @Override
    public Layer layer(String node) {
      return conf.getConf(index(node)).getLayer();
    }

    @Override
    public String vertexKind(String node) {
      return layer(node).getClass().getSimpleName();
    }

    @Override
    public InputPreProcessor preProcessor(String node) {
      return conf.getInputPreProcess(index(node));
    }

    @Override
    public List<String> consumers(String node) {
      int index = index(node);
      return List.of(index + 1 < names.size() ? names.get(index + 1) : NETWORK_OUTPUT);
    }
  }

  /** A ComputationGraph: consumers are the vertices that list the node among their inputs. */
  final class Graph implements NetworkGraph {
    private final ComputationGraphConfiguration conf;

    Graph(ComputationGraphConfiguration conf) {
      this.conf = conf;
    }

    private GraphVertex vertex(String node) {
      GraphVertex vertex = conf.getVertices().get(node);
      if (vertex == null) {
        throw new IllegalArgumentException(
            "no vertex named '" + node + "'; vertices: " + conf.getVertices().keySet());
      }
      return vertex;
    }

    @Override
    public Layer layer(String node) {
      return vertex(node) instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
    }

    @Override
    public String vertexKind(String node) {
      return vertex(node).getClass().getSimpleName();
    }

    @Override
    public InputPreProcessor preProcessor(String node) {
      return vertex(node) instanceof LayerVertex lv ? lv.getPreProcessor() : null;
    }

    @Override
    public List<String> consumers(String node) {
      List<String> result = new ArrayList<>();
      for (Map.Entry<String, List<String>> entry : conf.getVertexInputs().entrySet()) {
        if (entry.getValue().contains(node)) {
          result.add(entry.getKey());
        }
      }
      if (conf.getNetworkOutputs().contains(node)) {
        result.add(NETWORK_OUTPUT);
      }
      return result;
    }
  }
}
