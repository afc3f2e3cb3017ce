package org.cnnsimplifier.engine.model;

import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;

/** The activation types of a model's layers, inferred from its input shape. */
public final class LayerTypes {
  private LayerTypes() {}

  /** For every layer: the type of its input (after any preprocessor) and of its output. */
  public static Map<String, InputType[]> inputAndOutput(CnnModel model) {
    InputShape shape = model.inputShape();
    InputType input = InputType.convolutional(shape.height(), shape.width(), shape.channels());
    Map<String, InputType[]> result = new java.util.HashMap<>();
    if (model.isGraph()) {
      ComputationGraphConfiguration conf = model.graph().getConfiguration();
      // On a clone: DL4J's type inference may fill in missing preprocessors as it goes.
      Map<String, InputType> outputs = conf.clone().getLayerActivationTypes(true, false, input);
      for (String name : model.layerNames()) {
        String source = conf.getVertexInputs().get(name).get(0);
        InputType in = conf.getNetworkInputs().contains(source) ? input : outputs.get(source);
        if (conf.getVertices().get(name) instanceof LayerVertex vertex
            && vertex.getPreProcessor() != null) {
          in = vertex.getPreProcessor().getOutputType(in);
        }
        result.put(name, new InputType[] {in, outputs.get(name)});
      }
    } else {
      MultiLayerConfiguration conf = model.network().getLayerWiseConfigurations();
      List<InputType> outputs = conf.getLayerActivationTypes(input);
      List<String> names = model.layerNames();
      for (int i = 0; i < names.size(); i++) {
        InputType in = i == 0 ? input : outputs.get(i - 1);
        InputPreProcessor pre = conf.getInputPreProcess(i);
        if (pre != null) {
          in = pre.getOutputType(in);
        }
        result.put(names.get(i), new InputType[] {in, outputs.get(i)});
      }
    }
    return result;
  }
}
