package org.cnnsimplifier.engine.model;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.Properties;

/**
 * What a DL4J zip cannot say by itself and this program writes beside it: the input shape and the
 * format the model first came in. Stored as a plain properties entry, never as a serialized Java
 * object, so reading an uploaded zip never deserializes classes chosen by the uploader.
 */
record ModelMetadata(InputShape inputShape, ModelFormat sourceFormat) {
  /** The zip entry holding the metadata; DL4J ignores entries it does not know. */
  static final String ZIP_ENTRY = "cnn-simplifier/metadata.properties";

  private static final String VERSION = "1";

  String toProperties() {
    Properties properties = new Properties();
    properties.setProperty("version", VERSION);
    properties.setProperty("input.channels", Integer.toString(inputShape.channels()));
    properties.setProperty("input.height", Integer.toString(inputShape.height()));
    properties.setProperty("input.width", Integer.toString(inputShape.width()));
    properties.setProperty("source.format", sourceFormat.name());
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
      return Optional.of(new ModelMetadata(shape, format));
    } catch (IOException | RuntimeException e) {
      // A damaged entry is no reason to reject a model whose shape can still be inferred.
      return Optional.empty();
    }
  }
}
