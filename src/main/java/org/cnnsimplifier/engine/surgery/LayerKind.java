package org.cnnsimplifier.engine.surgery;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.CenterLossOutputLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.Convolution2D;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PReLULayer;
import org.deeplearning4j.nn.conf.layers.Pooling2D;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer;
import org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a layer does with channels, which decides how the dependency graph passes through it and how
 * its parameters are cut.
 */
enum LayerKind {
  /** A 2D convolution: makes new channels (output kernels), reads channels (weight dim 1). */
  CONVOLUTION(true, true),
  /** A transposed convolution: weights are [in, out, kH, kW]. */
  DECONVOLUTION(true, true),
  /** Depthwise then pointwise: reads channels (depthwise part), makes new ones (pointwise). */
  SEPARABLE(true, true),
  /** Depthwise convolution: its output channel c·m + j follows input channel c. */
  DEPTHWISE(false, false),
  /** A dense layer: units are new channels, input rows are read. */
  DENSE(true, true),
  /** The classifier: reads its inputs; its units are the classes and are never removed. */
  OUTPUT(true, true),
  /** A per-channel layer with per-channel parameters (batch norm, PReLU, element-wise scale). */
  PER_CHANNEL(false, false),
  /** A per-channel layer without parameters (activation, dropout, pooling, padding, loss, …). */
  PASS(false, false),
  /** Passes channels but mixes them in its computation (LRN, softmax over channels). */
  MIXING(false, false),
  /** Anything else: its channels cannot be followed. */
  OPAQUE(false, false);

  private final boolean makesChannels;
  private final boolean readsChannels;

  LayerKind(boolean makesChannels, boolean readsChannels) {
    this.makesChannels = makesChannels;
    this.readsChannels = readsChannels;
  }

  /** Whether the layer's output channels are its own (its kernels or units). */
  boolean makesChannels() {
    return makesChannels;
  }

  /** Whether the layer has weights along its input channels (it "consumes" a group). */
  boolean readsChannels() {
    return readsChannels;
  }

  /** The kind of a layer; wrappers (frozen layers) count as what they wrap. */
  static LayerKind of(Layer layer) {
    Layer conf = unwrap(layer);
    if (isChannelsLast(conf)) {
      return OPAQUE;
    }
    Class<?> type = conf.getClass();
    if (type == ConvolutionLayer.class || type == Convolution2D.class) {
      return CONVOLUTION;
    } else if (type == Deconvolution2D.class) {
      return DECONVOLUTION;
    } else if (type == SeparableConvolution2D.class) {
      return SEPARABLE;
    } else if (type == DepthwiseConvolution2D.class) {
      return DEPTHWISE;
    } else if (type == DenseLayer.class) {
      return DENSE;
    } else if (type == OutputLayer.class || type == CenterLossOutputLayer.class) {
      return OUTPUT;
    } else if (conf instanceof BatchNormalization
        || conf instanceof PReLULayer
        || conf instanceof ElementWiseMultiplicationLayer) {
      return PER_CHANNEL;
    } else if (conf instanceof LocalResponseNormalization) {
      return MIXING;
    } else if (conf instanceof ActivationLayer activation) {
      return activation.getActivationFn() instanceof ActivationSoftmax ? MIXING : PASS;
    } else if (conf instanceof DropoutLayer
        || type == SubsamplingLayer.class
        || type == Pooling2D.class
        || conf instanceof GlobalPoolingLayer
        || conf instanceof ZeroPaddingLayer
        || conf instanceof Cropping2D
        || conf instanceof Upsampling2D
        || conf instanceof LossLayer
        || conf instanceof CnnLossLayer) {
      return PASS;
    }
    return OPAQUE;
  }

  /** The layer a frozen wrapper holds, or the layer itself. */
  static Layer unwrap(Layer layer) {
    Layer current = layer;
    while (true) {
      if (current instanceof FrozenLayerWithBackprop frozen) {
        current = frozen.getUnderlying();
      } else if (current instanceof FrozenLayer frozen) {
        current = frozen.getLayer();
      } else {
        return current;
      }
    }
  }

  private static boolean isChannelsLast(Layer conf) {
    if (conf instanceof ConvolutionLayer conv) {
      return conv.getCnn2dDataFormat() == CNN2DFormat.NHWC;
    }
    if (conf instanceof SubsamplingLayer pool) {
      return pool.getCnn2dDataFormat() == CNN2DFormat.NHWC;
    }
    if (conf instanceof BatchNormalization bn) {
      return bn.getCnn2DFormat() == CNN2DFormat.NHWC;
    }
    return false;
  }

  /** Whether a zero input channel leaves the layer as a zero output channel. */
  static boolean keepsZero(Layer layer) {
    Layer conf = unwrap(layer);
    LayerKind kind = of(conf);
    if (kind == PER_CHANNEL) {
      return conf instanceof PReLULayer;
    }
    if (kind == DEPTHWISE) {
      return !((ConvolutionLayer) conf).hasBias() && activationKeepsZero(conf);
    }
    if (conf instanceof ActivationLayer activation) {
      return keepsZero(activation.getActivationFn());
    }
    return kind == PASS || kind == MIXING;
  }

  /** Whether the layer's own activation function maps 0 to 0 (true when it has none). */
  static boolean activationKeepsZero(Layer layer) {
    Layer conf = unwrap(layer);
    return !(conf instanceof BaseLayer base) || keepsZero(base.getActivationFn());
  }

  static boolean keepsZero(IActivation activation) {
    if (activation == null) {
      return true;
    }
    double value =
        activation.getActivation(Nd4j.zeros(DataType.DOUBLE, 1, 2), false).getDouble(0, 0);
    return value == 0.0;
  }
}
