package org.cnnsimplifier.engine.model;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * What a DL4J zip cannot say by itself and this program writes beside it: the input shape, the
 * format the model first came in, its input preprocessing and whether the original output was
 * logits. Stored as a plain properties entry, never as a serialized Java object, so reading an
 * uploaded zip never deserializes classes chosen by the uploader. Entries written before the
 * preprocessing existed (version 1) read as the defaults.
 */
record ModelMetadata(
    InputShape inputShape,
    ModelFormat sourceFormat,
    InputPreprocessing preprocessing,
    boolean logitsOutput) {
  /**
   * The zip entry holding the metadata. DL4J ignores entries it does not know but rejects folder
   * entries, so the name has no folder.
   */
  static final String ZIP_ENTRY = "cnn-simplifier-metadata.properties";

  private static final String VERSION = "2";

  static ModelMetadata of(CnnModel model) {
    return new ModelMetadata(
        model.inputShape(), model.sourceFormat(), model.preprocessing(), model.logitsOutput());
  }

  /** The model with this metadata's preprocessing and output kind. */
  CnnModel applyTo(CnnModel model) {
    return model.withPreprocessing(preprocessing).withLogitsOutput(logitsOutput);
  }

  String toProperties() {
    Properties properties = new Properties();
    properties.setProperty("version", VERSION);
    properties.setProperty("input.channels", Integer.toString(inputShape.channels()));
    properties.setProperty("input.height", Integer.toString(inputShape.height()));
    properties.setProperty("input.width", Integer.toString(inputShape.width()));
    properties.setProperty("source.format", sourceFormat.name());
    properties.setProperty("output", logitsOutput ? "logits" : "probabilities");
    PreprocessingProperties.write(preprocessing, properties::setProperty);
    StringWriter out = new StringWriter();
    try {
      properties.store(out, "CNN Simplifier model metadata");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The metadata in the text, or empty when it is missing or unreadable (then it is inferred). */
  static Optional<ModelMetadata> parse(String text) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(text));
      InputShape shape =
          new InputShape(
              Integer.parseInt(properties.getProperty("input.channels")),
              Integer.parseInt(properties.getProperty("input.height")),
              Integer.parseInt(properties.getProperty("input.width")));
      ModelFormat format = ModelFormat.valueOf(properties.getProperty("source.format"));
      InputPreprocessing preprocessing = PreprocessingProperties.read(properties::getProperty);
      boolean logits = "logits".equals(properties.getProperty("output"));
      return Optional.of(new ModelMetadata(shape, format, preprocessing, logits));
    } catch (IOException | RuntimeException e) {
      // A damaged entry is no reason to reject a model whose shape can still be inferred.
      return Optional.empty();
    }
  }
}
