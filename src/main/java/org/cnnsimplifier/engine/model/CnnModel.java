package org.cnnsimplifier.engine.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained CNN the engine works on: a DL4J {@link MultiLayerNetwork} or {@link ComputationGraph}
 * with one image input and one classification output, plus what the network alone does not say: the
 * input shape, the format the model came in, how input images are preprocessed, and whether the
 * original model's output was logits (a softmax was added on import, and exports leave it out
 * again).
 *
 * <p>Layers are addressed by name. In a MultiLayerNetwork, layers without an explicit name are
 * called {@code layer0}, {@code layer1}, … by DL4J. Instances are not thread-safe: a DL4J network
 * keeps per-call state.
 */
public final class CnnModel {
  private final MultiLayerNetwork network;
  private final ComputationGraph graph;
  private final InputShape inputShape;
  private final ModelFormat sourceFormat;
  private final InputPreprocessing preprocessing;
  private final boolean logitsOutput;

  private CnnModel(
      MultiLayerNetwork network,
      ComputationGraph graph,
      InputShape inputShape,
      ModelFormat sourceFormat,
      InputPreprocessing preprocessing,
      boolean logitsOutput) {
    this.network = network;
    this.graph = graph;
    this.inputShape = Objects.requireNonNull(inputShape, "inputShape");
    this.sourceFormat = Objects.requireNonNull(sourceFormat, "sourceFormat");
    this.preprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
    this.logitsOutput = logitsOutput;
  }

  /** A model with default preprocessing whose original output was probabilities. */
  public static CnnModel of(MultiLayerNetwork network, InputShape inputShape, ModelFormat format) {
    return new CnnModel(
        Objects.requireNonNull(network, "network"),
        null,
        inputShape,
        format,
        InputPreprocessing.defaults(),
        false);
  }

  /** A model with default preprocessing whose original output was probabilities. */
  public static CnnModel of(ComputationGraph graph, InputShape inputShape, ModelFormat format) {
    return new CnnModel(
        null,
        Objects.requireNonNull(graph, "graph"),
        inputShape,
        format,
        InputPreprocessing.defaults(),
        false);
  }

  /** The same model description around another network (the result of surgery or training). */
  public CnnModel with(MultiLayerNetwork other) {
    return new CnnModel(
        Objects.requireNonNull(other, "network"),
        null,
        inputShape,
        sourceFormat,
        preprocessing,
        logitsOutput);
  }

  public CnnModel with(ComputationGraph other) {
    return new CnnModel(
        null,
        Objects.requireNonNull(other, "graph"),
        inputShape,
        sourceFormat,
        preprocessing,
        logitsOutput);
  }

  /**
   * The same network with another input preprocessing.
   *
   * @throws IllegalArgumentException when it does not fit the model's input channels
   */
  public CnnModel withPreprocessing(InputPreprocessing newPreprocessing) {
    newPreprocessing.checkFits(inputShape.channels());
    return new CnnModel(network, graph, inputShape, sourceFormat, newPreprocessing, logitsOutput);
  }

  /** The same network, marked as coming from a file whose output was (not) logits. */
  public CnnModel withLogitsOutput(boolean logits) {
    return new CnnModel(network, graph, inputShape, sourceFormat, preprocessing, logits);
  }

  public boolean isGraph() {
    return graph != null;
  }

  /** The MultiLayerNetwork; fails for a graph. */
  public MultiLayerNetwork network() {
    if (network == null) {
      throw new IllegalStateException("model is a ComputationGraph");
    }
    return network;
  }

  /** The ComputationGraph; fails for a MultiLayerNetwork. */
  public ComputationGraph graph() {
    if (graph == null) {
      throw new IllegalStateException("model is a MultiLayerNetwork");
    }
    return graph;
  }

  /** The underlying DL4J model, whichever kind it is. */
  public Model dl4j() {
    return isGraph() ? graph : network;
  }

  public InputShape inputShape() {
    return inputShape;
  }

  public ModelFormat sourceFormat() {
    return sourceFormat;
  }

  /** What is done to every image before it enters the network. */
  public InputPreprocessing preprocessing() {
    return preprocessing;
  }

  /**
   * Whether the model file this came from output logits: the network ends in a softmax (the engine
   * trains it with cross-entropy), and exports end before it, as the original did.
   */
  public boolean logitsOutput() {
    return logitsOutput;
  }

  public long numParams() {
    return isGraph() ? graph.numParams() : network.numParams();
  }

  /** Layer names in forward order (topological order for a graph); non-layer vertices excluded. */
  public List<String> layerNames() {
    List<String> names = new ArrayList<>();
    if (isGraph()) {
      GraphVertex[] vertices = graph.getVertices();
      for (int index : graph.topologicalSortOrder()) {
        if (vertices[index].hasLayer()) {
          names.add(vertices[index].getVertexName());
        }
      }
    } else {
      for (int i = 0; i < network.getnLayers(); i++) {
        names.add(network.getLayerWiseConfigurations().getConf(i).getLayer().getLayerName());
      }
    }
    return names;
  }

  /** The configuration of the named layer. */
  public Layer layerConf(String name) {
    return layer(name).conf().getLayer();
  }

  /** The named layer instance (with its parameters). */
  public org.deeplearning4j.nn.api.Layer layer(String name) {
    org.deeplearning4j.nn.api.Layer layer =
        isGraph() ? graph.getLayer(name) : network.getLayer(name);
    if (layer == null) {
      throw new IllegalArgumentException("no layer named '" + name + "'; layers: " + layerNames());
    }
    return layer;
  }

  /** The index of the named layer in a MultiLayerNetwork. */
  public int layerIndex(String name) {
    List<String> names = layerNames();
    int index = names.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException("no layer named '" + name + "'; layers: " + names);
    }
    return index;
  }

  /** The name of the last layer: the classifier, never pruned. */
  public String outputLayerName() {
    if (isGraph()) {
      return graph.getConfiguration().getNetworkOutputs().get(0);
    }
    List<String> names = layerNames();
    return names.get(names.size() - 1);
  }

  /** Number of classes: the output layer's width (a loss layer's is that of its input). */
  public int numClasses() {
    Layer out = layerConf(outputLayerName());
    if (out instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer ff && ff.getNOut() > 0) {
      return (int) ff.getNOut();
    }
    org.deeplearning4j.nn.conf.inputs.InputType in =
        LayerTypes.inputAndOutput(this).get(outputLayerName())[0];
    if (in instanceof org.deeplearning4j.nn.conf.inputs.InputType.InputTypeFeedForward ff) {
      return (int) ff.getSize();
    }
    throw new IllegalStateException("output layer " + outputLayerName() + " has no width");
  }

  /** Class probabilities for a batch of NCHW images, in inference mode. */
  public INDArray output(INDArray features) {
    return isGraph() ? graph.outputSingle(false, features) : network.output(features, false);
  }

  /**
   * Every layer's output for a batch of images, in inference mode, keyed by layer name. The arrays
   * are detached from workspaces and may be kept.
   */
  public Map<String, INDArray> activations(INDArray features) {
    Map<String, INDArray> result = new LinkedHashMap<>();
    if (isGraph()) {
      Map<String, INDArray> all = graph.feedForward(features, false);
      for (String name : layerNames()) {
        result.put(name, all.get(name).detach());
      }
    } else {
      List<INDArray> all = network.feedForward(features, false);
      List<String> names = layerNames();
      for (int i = 0; i < names.size(); i++) {
        result.put(names.get(i), all.get(i + 1).detach());
      }
    }
    return result;
  }

  /**
   * Frees the network's off-heap memory now ({@link NetworkMemory#release}); the model must not be
   * used afterwards. For copies and intermediate models that are done with.
   */
  public void close() {
    NetworkMemory.release(dl4j());
  }

  /** A deep copy: configuration, parameters and updater state. */
  public CnnModel copy() {
    return isGraph() ? with(graph.clone()) : with(network.clone());
  }
}
