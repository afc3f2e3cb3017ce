package org.cnnsimplifier.engine.surgery;

import java.util.Optional;
import org.cnnsimplifier.engine.model.CnnModel;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;

/**
 * Placeholder until the surgery package lands: says whether the output channels of a layer can be
 * removed with every layer that depends on them fixed up. This version accepts every 2D convolution
 * layer; the real one also checks the layers after it.
 */
public final class ChannelDependents {
  private ChannelDependents() {}

  /**
   * Why the named layer's kernels cannot be pruned, or empty when they can.
   *
   * @param model the model holding the layer
   * @param layerName a layer of the model
   */
  public static Optional<String> refusal(CnnModel model, String layerName) {
    if (model.layerConf(layerName).getClass() != ConvolutionLayer.class) {
      return Optional.of("only 2D convolution layers are pruned");
    }
    return Optional.empty();
  }
}
