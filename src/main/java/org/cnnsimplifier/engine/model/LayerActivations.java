package org.cnnsimplifier.engine.model;

import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;

/** Which activation a DL4J layer applies to its output, as the exporters must write it. */
public final class LayerActivations {
  private LayerActivations() {}

  /**
   * The activation the layer applies, or null for none. DL4J's batch normalisation, PReLU and
   * dropout layers carry one in their configuration (sigmoid by default) but never apply it.
   */
  public static IActivation of(Layer layer) {
    IActivation fn = null;
    if (layer instanceof ActivationLayer a) {
      fn = a.getActivationFn();
    } else if ((layer instanceof ConvolutionLayer || layer instanceof FeedForwardLayer)
        && !(layer instanceof BatchNormalization
            || layer instanceof PReLULayer
            || layer instanceof DropoutLayer)
        && layer instanceof BaseLayer base) {
      fn = base.getActivationFn();
    }
    return fn instanceof ActivationIdentity ? null : fn;
  }
}
