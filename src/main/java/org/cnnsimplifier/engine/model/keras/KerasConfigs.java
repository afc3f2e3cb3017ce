package org.cnnsimplifier.engine.model.keras;

import java.util.List;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationELU;
import org.nd4j.linalg.activations.impl.ActivationHardSigmoid;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.activations.impl.ActivationReLU6;
import org.nd4j.linalg.activations.impl.ActivationSELU;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftPlus;
import org.nd4j.linalg.activations.impl.ActivationSoftSign;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Keras 2 layer configs, with exactly the keys Keras 2.2–2.x's layer constructors accept (as {@code
 * get_config()} writes them), channels-last. Initializers are the ones Keras itself defaults to;
 * they matter only if the user re-initialises a layer.
 */
final class KerasConfigs {
  static final ObjectMapper JSON = new ObjectMapper();

  /**
   * How an activation is written: inside the layer ({@code inline}, e.g. "relu"), or as a layer of
   * its own after it ({@code layerClass} with {@code layerConfig}, e.g. ReLU with max_value 6).
   */
  record Activation(
      String inline, String layerClass, ObjectNode layerConfig, boolean nonNegative) {}

  static final Activation LINEAR = new Activation("linear", null, null, false);

  /**
   * The Keras form of a DL4J activation (null: none).
   *
   * @throws IllegalArgumentException when Keras 2 has none
   */
  Activation activation(IActivation fn) {
    if (fn == null) {
      return LINEAR;
    }
    if (fn instanceof ActivationReLU relu) {
      boolean plain =
          relu.getMax() == null
              && (relu.getThreshold() == null || relu.getThreshold() == 0)
              && (relu.getNegativeSlope() == null || relu.getNegativeSlope() == 0);
      if (plain) {
        return new Activation("relu", null, null, true);
      }
      ObjectNode config = JSON.createObjectNode();
      if (relu.getMax() == null) {
        config.putNull("max_value");
      } else {
        config.put("max_value", relu.getMax());
      }
      double slope = relu.getNegativeSlope() == null ? 0 : relu.getNegativeSlope();
      config.put("negative_slope", slope);
      config.put("threshold", relu.getThreshold() == null ? 0.0 : relu.getThreshold());
      return new Activation(null, "ReLU", config, slope == 0);
    }
    if (fn instanceof ActivationReLU6) {
      ObjectNode config =
          JSON.createObjectNode()
              .put("max_value", 6.0)
              .put("negative_slope", 0.0)
              .put("threshold", 0.0);
      return new Activation(null, "ReLU", config, true);
    }
    if (fn instanceof ActivationLReLU leaky) {
      return new Activation(
          null, "LeakyReLU", JSON.createObjectNode().put("alpha", leaky.getAlpha()), false);
    }
    if (fn instanceof ActivationELU elu) {
      return elu.getAlpha() == 1.0
          ? new Activation("elu", null, null, false)
          : new Activation(
              null, "ELU", JSON.createObjectNode().put("alpha", elu.getAlpha()), false);
    }
    String inline =
        fn instanceof ActivationSigmoid
            ? "sigmoid"
            : fn instanceof ActivationTanH
                ? "tanh"
                : fn instanceof ActivationSoftmax
                    ? "softmax"
                    : fn instanceof ActivationSELU
                        ? "selu"
                        : fn instanceof ActivationSoftPlus
                            ? "softplus"
                            : fn instanceof ActivationSoftSign
                                ? "softsign"
                                : fn instanceof ActivationHardSigmoid ? "hard_sigmoid" : null;
    if (inline == null) {
      throw new IllegalArgumentException("its activation " + fn + " has no Keras 2 counterpart");
    }
    boolean nonNegative =
        !inline.equals("tanh") && !inline.equals("selu") && !inline.equals("softsign");
    return new Activation(inline, null, null, nonNegative);
  }

  ObjectNode input(String name, long height, long width, long channels) {
    ObjectNode config = JSON.createObjectNode();
    config.set(
        "batch_input_shape", JSON.createArrayNode().addNull().add(height).add(width).add(channels));
    return config.put("dtype", "float32").put("sparse", false).put("name", name);
  }

  ObjectNode base(String name) {
    return JSON.createObjectNode().put("name", name).put("trainable", true).put("dtype", "float32");
  }

  ObjectNode withFormat(String name) {
    return base(name).put("data_format", "channels_last");
  }

  ObjectNode convolution(String name, ConvolutionLayer conv, String padding, String activation) {
    ObjectNode config =
        window(base(name).put("filters", conv.getNOut()), conv, padding, activation);
    return kernelDefaults(config);
  }

  ObjectNode depthwise(
      String name, DepthwiseConvolution2D conv, String padding, String activation) {
    ObjectNode config = window(base(name), conv, padding, activation);
    config.set("bias_initializer", initializer("Zeros"));
    nulls(config, "bias_regularizer", "activity_regularizer", "bias_constraint");
    config.put("depth_multiplier", conv.getDepthMultiplier());
    config.set("depthwise_initializer", glorotUniform());
    nulls(config, "depthwise_regularizer", "depthwise_constraint");
    return config;
  }

  /** Keras' defaults for a layer with a kernel and a bias: initializers, no regularizers. */
  private static ObjectNode kernelDefaults(ObjectNode config) {
    config.set("kernel_initializer", glorotUniform());
    config.set("bias_initializer", initializer("Zeros"));
    nulls(
        config,
        "kernel_regularizer",
        "bias_regularizer",
        "activity_regularizer",
        "kernel_constraint",
        "bias_constraint");
    return config;
  }

  /** What every Keras convolution has: window, padding, format, activation, bias. */
  private static ObjectNode window(
      ObjectNode config, ConvolutionLayer conv, String padding, String activation) {
    config.set("kernel_size", pair(conv.getKernelSize()));
    config.set("strides", pair(conv.getStride()));
    config.put("padding", padding).put("data_format", "channels_last");
    config.set("dilation_rate", pair(conv.getDilation()));
    return config.put("activation", activation).put("use_bias", conv.hasBias());
  }

  ObjectNode batchNorm(String name, double momentum, double epsilon) {
    ObjectNode config =
        base(name)
            .put("axis", -1)
            .put("momentum", momentum)
            .put("epsilon", epsilon)
            .put("center", true)
            .put("scale", true);
    config.set("beta_initializer", initializer("Zeros"));
    config.set("gamma_initializer", initializer("Ones"));
    config.set("moving_mean_initializer", initializer("Zeros"));
    config.set("moving_variance_initializer", initializer("Ones"));
    nulls(config, "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint");
    return config;
  }

  ObjectNode pooling(String name, int[] size, int[] strides, String padding) {
    ObjectNode config = base(name);
    config.set("pool_size", pair(size));
    config.put("padding", padding);
    config.set("strides", pair(strides));
    return config.put("data_format", "channels_last");
  }

  ObjectNode zeroPadding(String name, int top, int bottom, int left, int right) {
    ObjectNode config = base(name);
    ArrayNode padding = JSON.createArrayNode();
    padding.add(JSON.createArrayNode().add(top).add(bottom));
    padding.add(JSON.createArrayNode().add(left).add(right));
    config.set("padding", padding);
    return config.put("data_format", "channels_last");
  }

  ObjectNode dense(String name, long units, boolean bias, String activation) {
    ObjectNode config =
        base(name).put("units", units).put("activation", activation).put("use_bias", bias);
    return kernelDefaults(config);
  }

  ObjectNode prelu(String name, List<Integer> sharedAxes) {
    ObjectNode config = base(name);
    config.set("alpha_initializer", initializer("Zeros"));
    nulls(config, "alpha_regularizer", "alpha_constraint");
    if (sharedAxes.isEmpty()) {
      config.putNull("shared_axes");
    } else {
      ArrayNode axes = config.putArray("shared_axes");
      sharedAxes.forEach(axes::add);
    }
    return config;
  }

  /** The layer an activation becomes when it is not inline: Activation, ReLU, LeakyReLU, ELU. */
  ObjectNode activationLayer(String name, Activation activation) {
    ObjectNode config = base(name);
    if (activation.inline() != null) {
      return config.put("activation", activation.inline());
    }
    config.setAll(activation.layerConfig());
    return config;
  }

  static String layerClass(Activation activation) {
    return activation.inline() != null ? "Activation" : activation.layerClass();
  }

  private static ArrayNode pair(int[] values) {
    return JSON.createArrayNode().add(values[0]).add(values[1]);
  }

  private static ObjectNode initializer(String className) {
    ObjectNode node = JSON.createObjectNode().put("class_name", className);
    node.set("config", JSON.createObjectNode());
    return node;
  }

  /** Keras 2's default kernel initializer, in the form every Keras 2 version reads. */
  private static ObjectNode glorotUniform() {
    ObjectNode node = JSON.createObjectNode().put("class_name", "VarianceScaling");
    node.set(
        "config",
        JSON.createObjectNode()
            .put("scale", 1.0)
            .put("mode", "fan_avg")
            .put("distribution", "uniform")
            .putNull("seed"));
    return node;
  }

  private static void nulls(ObjectNode config, String... keys) {
    for (String key : keys) {
      config.putNull(key);
    }
  }
}
