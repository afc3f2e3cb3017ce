package org.cnnsimplifier.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network as the exporters see it: its layers and vertices in forward (topological) order, each
 * with its inputs, the preprocessor in front of it, the types of what goes in and comes out, and
 * its parameters. The same view for a MultiLayerNetwork and a ComputationGraph.
 *
 * @param input the name of the network input
 * @param output the name of the step whose output is the network's
 */
public record NetworkSteps(String input, String output, List<Step> steps) {

  /**
   * One layer or vertex.
   *
   * @param conf a {@link org.deeplearning4j.nn.conf.layers.Layer} or a {@link GraphVertex}
   * @param preProcessor applied to the input first; may be null
   * @param inputType what the first input is, before the preprocessor
   * @param outputType what the step produces
   * @param params the layer's parameters (empty for vertices)
   */
  public record Step(
      String name,
      Object conf,
      List<String> inputs,
      InputPreProcessor preProcessor,
      InputType inputType,
      InputType outputType,
      Map<String, INDArray> params) {

    public boolean isLayer() {
      return conf instanceof org.deeplearning4j.nn.conf.layers.Layer;
    }

    public org.deeplearning4j.nn.conf.layers.Layer layer() {
      return (org.deeplearning4j.nn.conf.layers.Layer) conf;
    }

    public String kind() {
      return conf.getClass().getSimpleName();
    }
  }

  public static NetworkSteps of(CnnModel model) {
    InputShape shape = model.inputShape();
    InputType input =
        InputType.convolutional(shape.height(), shape.width(), shape.channels(), CNN2DFormat.NCHW);
    List<Step> steps = new ArrayList<>();
    if (!model.isGraph()) {
      MultiLayerConfiguration conf = model.network().getLayerWiseConfigurations();
      List<InputType> types = conf.clone().getLayerActivationTypes(input);
      String previous = "input";
      for (int i = 0; i < conf.getConfs().size(); i++) {
        org.deeplearning4j.nn.conf.layers.Layer layer = conf.getConf(i).getLayer();
        steps.add(
            new Step(
                layer.getLayerName(),
                layer,
                List.of(previous),
                conf.getInputPreProcess(i),
                i == 0 ? input : types.get(i - 1),
                types.get(i),
                model.network().getLayer(i).paramTable()));
        previous = layer.getLayerName();
      }
      return new NetworkSteps("input", previous, steps);
    }
    ComputationGraph graph = model.graph();
    ComputationGraphConfiguration conf = graph.getConfiguration();
    String inputName = conf.getNetworkInputs().get(0);
    Map<String, InputType> types = conf.clone().getLayerActivationTypes(true, false, input);
    org.deeplearning4j.nn.graph.vertex.GraphVertex[] vertices = graph.getVertices();
    for (int index : graph.topologicalSortOrder()) {
      String name = vertices[index].getVertexName();
      if (conf.getNetworkInputs().contains(name)) {
        continue;
      }
      GraphVertex vertex = conf.getVertices().get(name);
      List<String> inputs = conf.getVertexInputs().get(name);
      InputType in = inputs.get(0).equals(inputName) ? input : types.get(inputs.get(0));
      if (vertex instanceof LayerVertex layerVertex) {
        steps.add(
            new Step(
                name,
                layerVertex.getLayerConf().getLayer(),
                inputs,
                layerVertex.getPreProcessor(),
                in,
                types.get(name),
                graph.getLayer(name).paramTable()));
      } else {
        steps.add(new Step(name, vertex, inputs, null, in, types.get(name), Map.of()));
      }
    }
    return new NetworkSteps(inputName, conf.getNetworkOutputs().get(0), steps);
  }

  /** The steps that read the named one. */
  public List<Step> readers(String name) {
    return steps.stream().filter(s -> s.inputs().contains(name)).toList();
  }

  /** The step of that name, or null (for the network input). */
  public Step step(String name) {
    return steps.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }
}
