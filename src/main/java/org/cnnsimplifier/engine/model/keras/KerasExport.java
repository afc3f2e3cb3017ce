package org.cnnsimplifier.engine.model.keras;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bytedeco.hdf5.Group;
import org.cnnsimplifier.engine.InvalidModelException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.NetworkSteps;
import org.cnnsimplifier.engine.model.PreprocessingProperties;
import org.nd4j.shade.jackson.core.JsonGenerator;
import org.nd4j.shade.jackson.databind.node.ArrayNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Writes a model as the HDF5 file Keras 2's {@code keras.models.load_model} reads: root attributes
 * {@code keras_version}, {@code backend} and {@code model_config} (a Sequential config for a
 * MultiLayerNetwork, a functional "Model" config for a graph), and a {@code model_weights} group
 * with {@code layer_names} and, per layer, {@code weight_names} and the weights in Keras' order and
 * channels-last layouts. No training configuration is written: load it with {@code compile=False}
 * or compile it anew. The input preprocessing is recorded as root attributes {@code
 * preprocessing.*}, which Keras ignores and the import here reads back.
 */
public final class KerasExport {
  /** The Keras version whose file layout and layer configs are written. */
  public static final String KERAS_VERSION = "2.3.1";

  private static final String BACKEND = "tensorflow";

  private KerasExport() {}

  /** Why the model cannot be written as Keras HDF5, or empty when it can. */
  public static Optional<String> refusal(CnnModel model) {
    try {
      layers(model).convert();
      return Optional.empty();
    } catch (InvalidModelException e) {
      return Optional.of(e.getMessage());
    }
  }

  /**
   * Writes the model to {@code file}, replacing it.
   *
   * @throws InvalidModelException naming a layer Keras has no counterpart for
   */
  public static void write(CnnModel model, Path file) throws IOException {
    KerasLayers converted = layers(model);
    List<KerasLayers.KerasLayer> layers = converted.convert();
    boolean sequential = !model.isGraph();
    List<KerasLayers.KerasLayer> listed = sequential ? layers.subList(1, layers.size()) : layers;
    String config = modelConfig(model, layers, converted.outputLayer(), sequential);
    try (Hdf5Writer h5 = new Hdf5Writer(file)) {
      h5.text(h5.root(), "keras_version", KERAS_VERSION);
      h5.text(h5.root(), "backend", BACKEND);
      h5.text(h5.root(), "model_config", config);
      PreprocessingProperties.write(model.preprocessing(), (k, v) -> h5.text(h5.root(), k, v));
      Group weights = h5.group(h5.root(), "model_weights");
      h5.text(weights, "backend", BACKEND);
      h5.text(weights, "keras_version", KERAS_VERSION);
      h5.names(weights, "layer_names", listed.stream().map(KerasLayers.KerasLayer::name).toList());
      for (KerasLayers.KerasLayer layer : listed) {
        Group group = h5.group(weights, layer.name());
        List<String> names = new ArrayList<>();
        for (KerasLayers.Weight w : layer.weights()) {
          names.add(layer.name() + "/" + w.name() + ":0");
        }
        h5.names(group, "weight_names", names);
        if (!layer.weights().isEmpty()) {
          Group inner = h5.group(group, layer.name());
          for (KerasLayers.Weight w : layer.weights()) {
            h5.floats(inner, w.name() + ":0", w.shape(), w.values());
          }
          h5.close(inner);
        }
        h5.close(group);
      }
      h5.close(weights);
    } catch (RuntimeException e) {
      if (e instanceof InvalidModelException) {
        throw e;
      }
      throw new IOException("cannot write HDF5 file " + file + ": " + e.getMessage(), e);
    }
  }

  private static KerasLayers layers(CnnModel model) {
    InputShape shape = model.inputShape();
    return new KerasLayers(NetworkSteps.of(model), shape.channels(), shape.height(), shape.width());
  }

  private static String modelConfig(
      CnnModel model, List<KerasLayers.KerasLayer> layers, String output, boolean sequential) {
    ObjectNode root = KerasConfigs.JSON.createObjectNode();
    ObjectNode config = KerasConfigs.JSON.createObjectNode();
    ArrayNode list = KerasConfigs.JSON.createArrayNode();
    if (sequential) {
      root.put("class_name", "Sequential");
      config.put("name", "sequential");
      ArrayNode inputShape = (ArrayNode) layers.get(0).config().get("batch_input_shape");
      for (int i = 1; i < layers.size(); i++) {
        KerasLayers.KerasLayer layer = layers.get(i);
        ObjectNode layerConfig = layer.config().deepCopy();
        if (i == 1) {
          // Keras 2.3 writes the input shape on the first layer of a Sequential model.
          ObjectNode first = KerasConfigs.JSON.createObjectNode();
          first.put("name", layer.name()).put("trainable", true);
          first.set("batch_input_shape", inputShape);
          first.setAll(layerConfig);
          layerConfig = first;
        }
        list.addObject().put("class_name", layer.className()).set("config", layerConfig);
      }
    } else {
      root.put("class_name", "Model");
      config.put("name", "model");
      for (KerasLayers.KerasLayer layer : layers) {
        ObjectNode entry = list.addObject();
        entry.put("name", layer.name()).put("class_name", layer.className());
        entry.set("config", layer.config());
        ArrayNode inbound = entry.putArray("inbound_nodes");
        if (!layer.inbound().isEmpty()) {
          ArrayNode node = inbound.addArray();
          for (String in : layer.inbound()) {
            node.addArray().add(in).add(0).add(0).addObject();
          }
        }
      }
      config.putArray("input_layers").addArray().add(layers.get(0).name()).add(0).add(0);
      config.putArray("output_layers").addArray().add(output).add(0).add(0);
    }
    config.set("layers", list);
    root.set("config", config);
    try {
      return KerasConfigs.JSON
          .writer()
          .with(JsonGenerator.Feature.ESCAPE_NON_ASCII)
          .writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
