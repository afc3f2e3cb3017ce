package org.cnnsimplifier.engine.criteria;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.InvalidPlanException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

/**
 * A layer that makes channels (a convolution's kernels, a dense layer's units) and the per-channel
 * layers right after it (batch normalisation, activation, dropout), whose channel k is still its
 * kernel k.
 *
 * <p>The {@linkplain #activationPoint() activation point} is where a kernel's "post-activation"
 * values are read: the last layer of the chain that applies a non-identity activation (an {@link
 * ActivationLayer}, or a conv or batch-norm with its activation inline), or the conv itself if none
 * does.
 *
 * @param conv the convolution layer's name
 * @param followers the per-channel layers after it, in forward order (maybe empty)
 * @param activationPoint the layer whose output channel k is kernel k's post-activation map
 * @param kernels the conv's number of output channels
 */
public record ConvChain(String conv, List<String> followers, String activationPoint, int kernels) {

  public ConvChain {
    followers = List.copyOf(followers);
  }

  /**
   * The chain starting at the named layer.
   *
   * @throws InvalidPlanException if there is no such layer or it is not a 2D convolution
   */
  public static ConvChain of(CnnModel model, String layerName) {
    int kernels = requireSource(model, layerName);
    List<String> followers =
        model.isGraph() ? graphFollowers(model, layerName) : sequentialFollowers(model, layerName);
    // With no activation anywhere in the chain the conv's raw output is all there is.
    String point = layerName;
    for (String follower : followers) {
      if (appliesActivation(model.layerConf(follower))) {
        point = follower;
      }
    }
    return new ConvChain(layerName, followers, point, kernels);
  }

  /** The names of the conv and its followers, in forward order. */
  public List<String> layers() {
    List<String> all = new ArrayList<>();
    all.add(conv);
    all.addAll(followers);
    return all;
  }

  /**
   * The number of output channels of the named layer, which must make channels of its own: a 2D
   * convolution, a separable or transposed one, or a dense layer.
   */
  static int requireSource(CnnModel model, String layerName) {
    if (layerName == null || !model.layerNames().contains(layerName)) {
      throw new InvalidPlanException(
          "layer '" + layerName + "' does not exist; layers: " + model.layerNames());
    }
    Layer conf = model.layerConf(layerName);
    Class<?> type = conf.getClass();
    boolean source =
        type == ConvolutionLayer.class
            || type == Convolution2D.class
            || type == SeparableConvolution2D.class
            || type == Deconvolution2D.class
            || type == DenseLayer.class;
    if (!source) {
      throw new InvalidPlanException(
          "layer '"
              + layerName
              + "' is a "
              + conf.getClass().getSimpleName()
              + ", which makes no kernels of its own; only convolution kernels and dense units"
              + " can be scored");
    }
    return (int) ((FeedForwardLayer) conf).getNOut();
  }

  private static boolean isPerChannel(Layer conf) {
    return conf instanceof BatchNormalization
        || conf instanceof ActivationLayer
        || conf instanceof DropoutLayer;
  }

  private static boolean appliesActivation(Layer conf) {
    if (conf instanceof ActivationLayer) {
      return true;
    }
    if (conf instanceof DropoutLayer) {
      return false;
    }
    return conf instanceof BaseLayer base
        && base.getActivationFn() != null
        && !(base.getActivationFn() instanceof ActivationIdentity);
  }

  private static List<String> sequentialFollowers(CnnModel model, String layerName) {
    List<String> names = model.layerNames();
    List<String> followers = new ArrayList<>();
    var conf = model.network().getLayerWiseConfigurations();
    for (int i = names.indexOf(layerName) + 1; i < names.size(); i++) {
      // A preprocessor reshapes the data, so channel k would no longer be kernel k.
      if (conf.getInputPreProcess(i) != null || !isPerChannel(model.layerConf(names.get(i)))) {
        break;
      }
      followers.add(names.get(i));
    }
    return followers;
  }

  private static List<String> graphFollowers(CnnModel model, String layerName) {
    var conf = model.graph().getConfiguration();
    Map<String, List<String>> inputs = conf.getVertexInputs();
    List<String> followers = new ArrayList<>();
    String current = layerName;
    while (true) {
      List<String> consumers = new ArrayList<>();
      for (var entry : inputs.entrySet()) {
        if (entry.getValue().contains(current)) {
          consumers.add(entry.getKey());
        }
      }
      // Stop where the output branches (a residual connection reads the unactivated value) or is
      // a network output.
      if (consumers.size() != 1 || conf.getNetworkOutputs().contains(current)) {
        break;
      }
      String next = consumers.get(0);
      if (!(conf.getVertices().get(next) instanceof LayerVertex vertex)
          || vertex.getPreProcessor() != null
          || inputs.get(next).size() != 1
          || !isPerChannel(vertex.getLayerConf().getLayer())) {
        break;
      }
      followers.add(next);
      current = next;
    }
    return followers;
  }
}
