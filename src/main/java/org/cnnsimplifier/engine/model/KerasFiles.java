package org.cnnsimplifier.engine.model;

import java.io.IOException;
import java.nio.file.Path;
import org.cnnsimplifier.engine.InvalidModelException;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.KerasLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.KerasSequentialModel;
import org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelBuilder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Keras HDF5 files, imported with deeplearning4j-modelimport without their training configuration
 * (the engine sets its own). A Sequential model becomes a MultiLayerNetwork, a functional one a
 * ComputationGraph; both are converted to NCHW with a trainable softmax output (see {@link
 * NchwConversion}). The input shape comes from the model's input layer.
 */
final class KerasFiles {
  private KerasFiles() {}

  static CnnModel read(Path file, InputShape inputShapeHint) {
    String name = file.getFileName().toString();
    try (KerasModelBuilder builder =
        new KerasModel()
            .modelBuilder()
            .modelHdf5Filename(file.toString())
            .enforceTrainingConfig(false)) {
      refuseDepthwiseAfterInput(builder.getModelJson(), name);
      if (isSequential(builder.getModelJson())) {
        KerasSequentialModel keras = builder.buildSequential();
        MultiLayerNetwork network = keras.getMultiLayerNetwork();
        InputShape shape = inputShape(keras, inputShapeHint, name);
        return withPreprocessing(
            CnnModel.of(NchwConversion.toNchw(network, true), shape, ModelFormat.KERAS_H5), file);
      }
      KerasModel keras = builder.buildModel();
      ComputationGraph graph = keras.getComputationGraph();
      InputShape shape = inputShape(keras, inputShapeHint, name);
      return withPreprocessing(
          CnnModel.of(NchwConversion.toNchw(graph, true), shape, ModelFormat.KERAS_H5), file);
    } catch (UnsupportedKerasConfigurationException e) {
      throw new InvalidModelException(
          name + " uses a Keras feature that is not supported: " + firstLine(e.getMessage()), e);
    } catch (InvalidKerasConfigurationException e) {
      throw new InvalidModelException(
          name + " has a Keras configuration that cannot be imported: " + firstLine(e.getMessage()),
          e);
    } catch (InvalidModelException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new InvalidModelException(
          name + " is an HDF5 file that cannot be read as a Keras model: " + e, e);
    }
  }

  /** The preprocessing this program's Keras export records in root attributes, if any. */
  private static CnnModel withPreprocessing(CnnModel model, Path file) {
    try (Hdf5Archive h5 = new Hdf5Archive(file.toString())) {
      if (!h5.hasAttribute(PreprocessingProperties.SCALE)) {
        return model;
      }
      InputPreprocessing preprocessing =
          PreprocessingProperties.read(
              key -> {
                try {
                  return h5.hasAttribute(key) ? h5.readAttributeAsString(key) : null;
                } catch (UnsupportedKerasConfigurationException e) {
                  return null;
                }
              });
      return model.withPreprocessing(preprocessing);
    } catch (RuntimeException e) {
      // Written by another program in another way: the upload's settings decide.
      return model;
    }
  }

  /**
   * DL4J 1.0.0-M2.1's importer takes a DepthwiseConv2D layer's input channels from the layer before
   * it and fails when that is the model's input; say so instead of showing its internal error.
   */
  private static void refuseDepthwiseAfterInput(String modelJson, String name) throws IOException {
    if (modelJson == null) {
      return;
    }
    JsonNode config = new ObjectMapper().readTree(modelJson).path("config");
    JsonNode layers = config.isArray() ? config : config.path("layers");
    java.util.Set<String> inputs = new java.util.HashSet<>();
    for (int i = 0; i < layers.size(); i++) {
      JsonNode layer = layers.get(i);
      String kind = layer.path("class_name").asText();
      String layerName = layer.path("config").path("name").asText(layer.path("name").asText());
      if ("InputLayer".equals(kind)) {
        inputs.add(layerName);
        continue;
      }
      // In a Sequential model (no inbound nodes) the first layer after any InputLayer reads it.
      boolean first = i == inputs.size();
      JsonNode inbound = layer.path("inbound_nodes");
      boolean readsInput =
          inbound.size() > 0
              && inbound.get(0).size() > 0
              && inputs.contains(inbound.get(0).get(0).get(0).asText());
      if ("DepthwiseConv2D".equals(kind) && (readsInput || (inbound.isMissingNode() && first))) {
        throw new InvalidModelException(
            name
                + ": layer '"
                + layerName
                + "' (DepthwiseConv2D) reads the model input directly, which Deeplearning4j's"
                + " Keras importer cannot import (it takes a depthwise layer's channel count from"
                + " the layer before it); put a convolution or batch normalisation before it");
      }
    }
  }

  private static boolean isSequential(String modelJson) throws IOException {
    if (modelJson == null) {
      throw new InvalidModelException("the HDF5 file holds no Keras model_config");
    }
    return "Sequential".equals(new ObjectMapper().readTree(modelJson).path("class_name").asText());
  }

  private static InputShape inputShape(KerasModel keras, InputShape hint, String name)
      throws InvalidKerasConfigurationException, UnsupportedKerasConfigurationException {
    if (keras.getInputLayerNames().size() != 1) {
      throw new InvalidModelException(
          name
              + " has "
              + keras.getInputLayerNames().size()
              + " inputs; one image input is needed");
    }
    KerasLayer input = keras.getLayers().get(keras.getInputLayerNames().get(0));
    InputType type = input.getOutputType();
    if (type instanceof InputType.InputTypeConvolutional conv
        && conv.getChannels() > 0
        && conv.getHeight() > 0
        && conv.getWidth() > 0) {
      return new InputShape(
          (int) conv.getChannels(), (int) conv.getHeight(), (int) conv.getWidth());
    }
    if (hint != null) {
      return hint;
    }
    throw new InvalidModelException(
        name + " does not say its input image size (input " + type + "); give the input shape");
  }

  /** DL4J appends a link to file an issue; the first line is what the user needs. */
  private static String firstLine(String message) {
    if (message == null) {
      return "(no detail)";
    }
    int end = message.indexOf(". Please file an issue");
    return end > 0 ? message.substring(0, end) : message.lines().findFirst().orElse(message);
  }
}
