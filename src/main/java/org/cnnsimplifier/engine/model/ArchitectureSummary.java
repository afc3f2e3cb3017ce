package org.cnnsimplifier.engine.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnnsimplifier.engine.surgery.ChannelDependents;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * The layers of a model with their shapes, parameters and FLOPs, and which can be pruned.
 *
 * <p>FLOPs are counted per image as pruning papers report them: 2 per multiply-add of the
 * convolution and dense layers (a convolution: 2·kH·kW·Cin·Cout·Hout·Wout; a dense layer:
 * 2·nIn·nOut). Bias additions, activations, batch normalization, pooling and dropout count 0: they
 * are a small, roughly constant share that kernel pruning does not change in kind.
 *
 * @param layers the layers in forward (topological) order
 * @param totalParams the sum of the layers' parameters, equal to the model's
 * @param totalFlops the sum of the layers' FLOPs
 */
public record ArchitectureSummary(List<LayerSummary> layers, long totalParams, long totalFlops) {

  public ArchitectureSummary {
    layers = List.copyOf(layers);
  }

  /** Summarises the model, starting shape inference from {@link CnnModel#inputShape()}. */
  public static ArchitectureSummary of(CnnModel model) {
    Map<String, InputType[]> shapes = inputAndOutputTypes(model);
    List<LayerSummary> layers = new ArrayList<>();
    long params = 0;
    long flops = 0;
    for (String name : model.layerNames()) {
      InputType[] types = shapes.get(name);
      LayerSummary layer = LayerFigures.summarise(model, name, types[0], types[1]);
      layers.add(layer);
      params += layer.params();
      flops += layer.flops();
    }
    return new ArchitectureSummary(layers, params, flops);
  }

  /** Names of the layers whose kernels can be eliminated, in forward order. */
  public List<String> prunableLayers() {
    return layers.stream().filter(LayerSummary::prunable).map(LayerSummary::name).toList();
  }

  /** The named layer's summary. */
  public Optional<LayerSummary> layer(String name) {
    return layers.stream().filter(layer -> layer.name().equals(name)).findFirst();
  }

  /** Why a layer cannot be pruned, or empty when it can. */
  static Optional<String> refusal(CnnModel model, String name) {
    Layer conf = model.layerConf(name);
    if (!(conf instanceof ConvolutionLayer)) {
      return Optional.of("only convolution layers have kernels to eliminate");
    }
    if (!ChannelDependents.isPlainConvolution(conf)) {
      return Optional.of(
          conf.getClass().getSimpleName() + " layers are not pruned; only 2D convolutions are");
    }
    if (name.equals(model.outputLayerName())) {
      return Optional.of("the output layer is never pruned");
    }
    return ChannelDependents.refusal(model, name);
  }

  /** For every layer: the type of its input (after any preprocessor) and of its output. */
  private static Map<String, InputType[]> inputAndOutputTypes(CnnModel model) {
    InputShape shape = model.inputShape();
    InputType input = InputType.convolutional(shape.height(), shape.width(), shape.channels());
    Map<String, InputType[]> result = new java.util.HashMap<>();
    if (model.isGraph()) {
      ComputationGraphConfiguration conf = model.graph().getConfiguration();
      Map<String, InputType> outputs = conf.getLayerActivationTypes(input);
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
