package org.cnnsimplifier.engine.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.InvalidModelException;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;
import org.nd4j.shade.jackson.databind.node.TextNode;

/**
 * Rewrites a network to the form the engine trains: NCHW activations everywhere and, for imported
 * Keras models, a loss on the classifier.
 *
 * <p>Keras models saved with {@code channels_last} import as NHWC networks (every convolution,
 * pooling and flatten says NHWC). The engine keeps NCHW only (oneDNN computes wrong convolution
 * weight gradients for NHWC), so the configuration is switched to NCHW and the weights are carried
 * over. Convolution weights do not depend on the activation layout, but a flatten does: NHWC
 * flattens a position's channels next to each other (index h·W·C + w·C + c), NCHW a channel's
 * positions (c·H·W + h·W + w). The rows of the dense layer reading the flatten are permuted to
 * match, so predictions stay the same once images are given as NCHW.
 *
 * <p>Keras files imported without their training configuration end in a softmax {@code Dense} (or
 * {@code Activation}) layer, which DL4J cannot train; it becomes an output (or loss) layer with
 * multi-class cross-entropy, the loss a softmax classifier is trained with. The updater state is
 * not carried over when a network is rewritten: retraining starts a fresh updater.
 */
final class NchwConversion {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OUTPUT_LAYER = "org.deeplearning4j.nn.conf.layers.OutputLayer";
  private static final String LOSS_LAYER = "org.deeplearning4j.nn.conf.layers.LossLayer";
  private static final String MCXENT = "org.nd4j.linalg.lossfunctions.impl.LossMCXENT";

  private NchwConversion() {}

  /** The network itself when it is NCHW already (and needs no loss), else a converted copy. */
  static MultiLayerNetwork toNchw(MultiLayerNetwork network, boolean addLoss) {
    MultiLayerConfiguration conf = network.getLayerWiseConfigurations();
    ObjectNode root = parse(conf.toJson());
    boolean changed = switchToNchw(root);
    if (changed) {
      globalPoolingToNchw(root);
    }
    if (addLoss) {
      ArrayNode confs = (ArrayNode) root.get("confs");
      changed |= addLoss((ObjectNode) confs.get(confs.size() - 1).get("layer"));
    }
    if (!changed) {
      return network;
    }
    MultiLayerNetwork converted =
        new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json(root)));
    converted.init();
    for (int i = 0; i < network.getnLayers(); i++) {
      copyParams(network.getLayer(i), converted.getLayer(i));
    }
    for (Map.Entry<Integer, InputPreProcessor> entry : conf.getInputPreProcessors().entrySet()) {
      if (isNhwcFlatten(entry.getValue())) {
        int reader = entry.getKey();
        while (isPassThrough(conf.getConf(reader).getLayer())) {
          reader++;
        }
        permuteFlattenRows(
            converted.getLayer(reader), (CnnToFeedForwardPreProcessor) entry.getValue());
      }
    }
    return converted;
  }

  /** The graph itself when it is NCHW already (and needs no loss), else a converted copy. */
  static ComputationGraph toNchw(ComputationGraph graph, boolean addLoss) {
    ComputationGraphConfiguration conf = graph.getConfiguration();
    ObjectNode root = parse(conf.toJson());
    boolean changed = switchToNchw(root);
    if (changed) {
      globalPoolingToNchw(root);
    }
    if (addLoss) {
      String output = conf.getNetworkOutputs().get(0);
      JsonNode vertex = root.get("vertices").get(output);
      if (vertex != null && vertex.has("layerConf")) {
        changed |= addLoss((ObjectNode) vertex.get("layerConf").get("layer"));
      }
    }
    if (!changed) {
      return graph;
    }
    ComputationGraph converted =
        new ComputationGraph(ComputationGraphConfiguration.fromJson(json(root)));
    converted.init();
    for (Layer layer : graph.getLayers()) {
      copyParams(layer, converted.getLayer(layer.conf().getLayer().getLayerName()));
    }
    for (Map.Entry<String, GraphVertex> entry : conf.getVertices().entrySet()) {
      InputPreProcessor preProcessor = preProcessorOf(entry.getValue());
      if (isNhwcFlatten(preProcessor)) {
        String reader =
            entry.getValue() instanceof LayerVertex
                ? entry.getKey()
                : soleReader(conf, entry.getKey());
        while (isPassThrough(layerOf(conf, reader))) {
          reader = soleReader(conf, reader);
        }
        permuteFlattenRows(converted.getLayer(reader), (CnnToFeedForwardPreProcessor) preProcessor);
      }
    }
    return converted;
  }

  /** Replaces every NHWC format value by NCHW; true if there was one. */
  private static boolean switchToNchw(JsonNode node) {
    boolean changed = false;
    if (node instanceof ObjectNode object) {
      List<String> nhwcFields = new ArrayList<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (field.getValue().isTextual()
            && CNN2DFormat.NHWC.name().equals(field.getValue().asText())) {
          nhwcFields.add(field.getKey());
        } else {
          changed |= switchToNchw(field.getValue());
        }
      }
      for (String name : nhwcFields) {
        object.set(name, TextNode.valueOf(CNN2DFormat.NCHW.name()));
        // Keras' global pooling over channels_last names the spatial axes 1 and 2; NCHW has 2, 3.
        JsonNode dims = object.get("poolingDimensions");
        if (dims != null && dims.size() == 2 && dims.get(0).asInt() == 1) {
          object.set("poolingDimensions", JSON.createArrayNode().add(2).add(3));
        }
      }
      changed |= !nhwcFields.isEmpty();
    } else if (node instanceof ArrayNode array) {
      for (JsonNode element : array) {
        changed |= switchToNchw(element);
      }
    }
    return changed;
  }

  /**
   * Keras' global pooling of a channels-last model pools dimensions 1 and 2 and says nothing else
   * about the layout; in NCHW the spatial dimensions are 2 and 3.
   */
  private static void globalPoolingToNchw(JsonNode node) {
    if (node instanceof ObjectNode object) {
      JsonNode dims = object.get("poolingDimensions");
      if (object.path("@class").asText().endsWith(".GlobalPoolingLayer")
          && dims != null
          && dims.size() == 2
          && dims.get(0).asInt() == 1
          && dims.get(1).asInt() == 2) {
        object.set("poolingDimensions", JSON.createArrayNode().add(2).add(3));
      }
      object.elements().forEachRemaining(NchwConversion::globalPoolingToNchw);
    } else if (node instanceof ArrayNode array) {
      array.forEach(NchwConversion::globalPoolingToNchw);
    }
  }

  private static boolean addLoss(ObjectNode layer) {
    if (layer == null || layer.has("lossFn") || !isSoftmax(layer.get("activationFn"))) {
      return false;
    }
    String kind = layer.path("@class").asText();
    if (kind.endsWith(".DenseLayer")) {
      layer.put("@class", OUTPUT_LAYER);
      layer.remove("hasLayerNorm");
    } else if (kind.endsWith(".ActivationLayer")) {
      layer.put("@class", LOSS_LAYER);
    } else {
      return false;
    }
    layer.set("lossFn", JSON.createObjectNode().put("@class", MCXENT));
    return true;
  }

  private static boolean isSoftmax(JsonNode activation) {
    return activation != null && activation.path("@class").asText().endsWith("ActivationSoftmax");
  }

  private static boolean isNhwcFlatten(InputPreProcessor preProcessor) {
    return preProcessor instanceof CnnToFeedForwardPreProcessor flatten
        && flatten.getFormat() == CNN2DFormat.NHWC;
  }

  /** Layers between a flatten and the dense layer reading it that keep feature order as is. */
  private static boolean isPassThrough(org.deeplearning4j.nn.conf.layers.Layer layer) {
    return layer instanceof DropoutLayer || layer instanceof ActivationLayer;
  }

  private static void permuteFlattenRows(Layer reader, CnnToFeedForwardPreProcessor flatten) {
    if (!(reader.conf().getLayer() instanceof FeedForwardLayer) || reader.getParam("W") == null) {
      throw new InvalidModelException(
          "cannot convert the channels-last flatten before layer "
              + reader.conf().getLayer().getLayerName()
              + " ("
              + reader.conf().getLayer().getClass().getSimpleName()
              + ") to channels-first; only a dense layer may read a flatten");
    }
    int height = (int) flatten.getInputHeight();
    int width = (int) flatten.getInputWidth();
    int channels = (int) flatten.getNumChannels();
    int[] nhwcRowOfNchwRow = new int[height * width * channels];
    for (int c = 0; c < channels; c++) {
      for (int h = 0; h < height; h++) {
        for (int w = 0; w < width; w++) {
          nhwcRowOfNchwRow[c * height * width + h * width + w] =
              h * width * channels + w * channels + c;
        }
      }
    }
    INDArray weights = reader.getParam("W");
    weights.assign(weights.dup().getRows(nhwcRowOfNchwRow));
  }

  private static void copyParams(Layer from, Layer to) {
    for (Map.Entry<String, INDArray> param : from.paramTable().entrySet()) {
      to.getParam(param.getKey()).assign(param.getValue());
    }
  }

  private static InputPreProcessor preProcessorOf(GraphVertex vertex) {
    if (vertex instanceof PreprocessorVertex p) {
      return p.getPreProcessor();
    }
    if (vertex instanceof LayerVertex l) {
      return l.getPreProcessor();
    }
    return null;
  }

  private static org.deeplearning4j.nn.conf.layers.Layer layerOf(
      ComputationGraphConfiguration conf, String vertex) {
    return conf.getVertices().get(vertex) instanceof LayerVertex l
        ? l.getLayerConf().getLayer()
        : null;
  }

  /** The one vertex reading the named one; anything else cannot be converted safely. */
  private static String soleReader(ComputationGraphConfiguration conf, String vertex) {
    List<String> readers = new ArrayList<>();
    conf.getVertexInputs()
        .forEach(
            (name, inputs) -> {
              if (inputs.contains(vertex)) {
                readers.add(inputs.size() == 1 ? name : null);
              }
            });
    if (readers.size() != 1 || readers.get(0) == null) {
      throw new InvalidModelException(
          "cannot convert the channels-last flatten at "
              + vertex
              + " to channels-first: it must feed exactly one dense layer");
    }
    return readers.get(0);
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String json(JsonNode root) {
    try {
      return JSON.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
