package org.cnnsimplifier.engine.runtime;

import java.util.ArrayList;
import java.util.List;
import org.cnnsimplifier.engine.model.CnnModel;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Puts a network in its fastest correct CPU configuration before training or inference.
 *
 * <p>{@link #apply(CnnModel)} does three things to the (initialized) network, in place:
 *
 * <ul>
 *   <li><b>Native helpers where they are correct.</b> DL4J 1.0.0-M2.1 can run 2D convolution,
 *       pooling and batch normalization through oneDNN "helpers"; on this project's CPUs that makes
 *       training about seven times faster. Each supported layer in NCHW gets its helper (created
 *       now if the network was built before {@link NativeRuntime#initialize()}).
 *   <li><b>No helper where it is wrong.</b> With NHWC activations the M2.1 oneDNN convolution
 *       helper computes wrong convolution weight gradients (training silently diverges from the
 *       reference implementation), so any layer in NHWC, and any layer type the agreement test does
 *       not cover (such as deconvolution, which subclasses the convolution layer), has its helper
 *       removed and runs DL4J's built-in implementation instead. Correctness wins over speed.
 *   <li><b>Memory reuse.</b> Training and inference workspaces ENABLED (activations and gradients
 *       live in reused off-heap arenas instead of fresh allocations) and {@link CacheMode#DEVICE}
 *       (layers keep their im2col and intermediate buffers between forward and backward pass).
 * </ul>
 *
 * <p>{@link #applyForTraining} also gives the plain ReLUs of a network built for one training run a
 * faster backward pass ({@link TrainingRelu}, same results); not for networks that are saved, whose
 * JSON would name it.
 *
 * <p>The helpers only compute in float32: for a network in another data type DL4J falls back to its
 * built-in path on every call (correct, but slow); convert such a network with {@code
 * convertDataType(DataType.FLOAT)} first if speed matters.
 *
 * <p>{@link #removeHelpers(CnnModel)} is the opposite: the plain path, for comparisons. The
 * numerical agreement of both paths is proven by {@code FastPathAgreementTest}.
 *
 * <p>Not thread-safe with respect to the network: apply it before handing the network to a training
 * or inference loop.
 */
public final class FastPath {
  private FastPath() {}

  /** Configures the model's network for speed, keeping results correct; returns what it did. */
  public static FastPathReport apply(CnnModel model) {
    return model.isGraph() ? apply(model.graph()) : apply(model.network());
  }

  /** {@link #apply(CnnModel)} for a bare MultiLayerNetwork. */
  public static FastPathReport apply(MultiLayerNetwork network) {
    var conf = network.getLayerWiseConfigurations();
    conf.setTrainingWorkspaceMode(WorkspaceMode.ENABLED);
    conf.setInferenceWorkspaceMode(WorkspaceMode.ENABLED);
    conf.setCacheMode(CacheMode.DEVICE); // for copies made from the configuration
    network.setCacheMode(CacheMode.DEVICE); // for the live layers
    return placeHelpers(layers(network));
  }

  /** {@link #apply(CnnModel)} for a bare ComputationGraph. */
  public static FastPathReport apply(ComputationGraph graph) {
    var conf = graph.getConfiguration();
    conf.setTrainingWorkspaceMode(WorkspaceMode.ENABLED);
    conf.setInferenceWorkspaceMode(WorkspaceMode.ENABLED);
    conf.setCacheMode(CacheMode.DEVICE);
    graph.setCacheMode(CacheMode.DEVICE);
    return placeHelpers(layers(graph));
  }

  /**
   * {@link #apply(MultiLayerNetwork)} and, for a network built for one training run and never
   * written out, every plain ReLU replaced by one with a fast backward pass ({@link TrainingRelu}:
   * same results, its class name would show in the network's JSON). Returns the names of the layers
   * whose activation was replaced.
   */
  public static List<String> applyForTraining(MultiLayerNetwork network) {
    apply(network);
    return fastRelu(layers(network));
  }

  /** {@link #applyForTraining(MultiLayerNetwork)} for a ComputationGraph. */
  public static List<String> applyForTraining(ComputationGraph graph) {
    apply(graph);
    return fastRelu(layers(graph));
  }

  private static List<String> fastRelu(Layer[] layers) {
    List<String> replaced = new ArrayList<>();
    for (Layer layer : layers) {
      // A frozen layer (FrozenLayerWithBackprop) still passes gradients through its activation.
      Layer inner =
          layer instanceof org.deeplearning4j.nn.layers.FrozenLayerWithBackprop frozen
              ? frozen.getInsideLayer()
              : layer;
      var conf = inner.conf().getLayer();
      if (conf instanceof org.deeplearning4j.nn.conf.layers.BaseLayer base
          && TrainingRelu.replaces(base.getActivationFn())) {
        base.setActivationFn(new TrainingRelu());
        replaced.add(name(layer));
      } else if (conf instanceof org.deeplearning4j.nn.conf.layers.ActivationLayer activation
          && TrainingRelu.replaces(activation.getActivationFn())) {
        activation.setActivationFn(new TrainingRelu());
        replaced.add(name(layer));
      }
    }
    return replaced;
  }

  /**
   * Removes every native helper, so the network runs DL4J's built-in implementations (the plain
   * path). Workspace and cache settings are left as they are.
   */
  public static void removeHelpers(CnnModel model) {
    Layer[] layers = model.isGraph() ? layers(model.graph()) : layers(model.network());
    for (Layer layer : layers) {
      LayerHelpers.detach(layer);
    }
  }

  /** Names of the layers that currently run on a native helper, in network order. */
  public static List<String> layersWithHelper(CnnModel model) {
    Layer[] layers = model.isGraph() ? layers(model.graph()) : layers(model.network());
    List<String> names = new ArrayList<>();
    for (Layer layer : layers) {
      if (LayerHelpers.hasHelper(layer)) {
        names.add(name(layer));
      }
    }
    return names;
  }

  private static FastPathReport placeHelpers(Layer[] layers) {
    boolean enabled = NativeRuntime.helpersEnabled();
    List<String> with = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> without = new ArrayList<>();
    for (Layer layer : layers) {
      if (!LayerHelpers.supportsHelper(layer)) {
        continue;
      }
      if (!LayerHelpers.mayUseHelper(layer)) {
        if (LayerHelpers.hasHelper(layer)) {
          removed.add(name(layer));
          LayerHelpers.detach(layer);
        }
        continue;
      }
      if (enabled && !LayerHelpers.hasHelper(layer)) {
        LayerHelpers.attach(layer);
      }
      (LayerHelpers.hasHelper(layer) ? with : without).add(name(layer));
    }
    return new FastPathReport(with, removed, without);
  }

  private static Layer[] layers(MultiLayerNetwork network) {
    requireInitialized(network.getLayers());
    return network.getLayers();
  }

  private static Layer[] layers(ComputationGraph graph) {
    requireInitialized(graph.getLayers());
    return graph.getLayers();
  }

  private static void requireInitialized(Layer[] layers) {
    if (layers == null) {
      throw new IllegalStateException("initialize the network (init()) before configuring it");
    }
  }

  private static String name(Layer layer) {
    return layer.conf().getLayer().getLayerName();
  }
}
