package org.cnnsimplifier.engine.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A model file format: the format a model came in, and the formats it can be written in. A
 * simplified model is given back in the format it came in unless another is asked for.
 */
public enum ModelFormat {
  /** A Deeplearning4j model zip (ModelSerializer), MultiLayerNetwork or ComputationGraph. */
  DL4J_ZIP("dl4j", ".zip", "application/zip"),
  /** A Keras 2 HDF5 file (Sequential or functional), as {@code keras.models.load_model} reads. */
  KERAS_H5("keras", ".h5", "application/x-hdf5"),
  /** An ONNX model (opset 11–17 in, 13 out), as PyTorch's {@code torch.onnx.export} writes. */
  ONNX("onnx", ".onnx", "application/octet-stream");

  private final String parameter;
  private final String extension;
  private final String mediaType;

  ModelFormat(String parameter, String extension, String mediaType) {
    this.parameter = parameter;
    this.extension = extension;
    this.mediaType = mediaType;
  }

  /** The short name used in requests: dl4j, keras, onnx. */
  public String parameter() {
    return parameter;
  }

  /** The file name extension, with its dot. */
  public String extension() {
    return extension;
  }

  /** The media type of a download. */
  public String mediaType() {
    return mediaType;
  }

  /**
   * The format named by its short name (dl4j, keras, onnx) or its constant name, ignoring case.
   *
   * @throws IllegalArgumentException naming the accepted names
   */
  public static ModelFormat fromParameter(String name) {
    for (ModelFormat format : values()) {
      if (format.parameter.equalsIgnoreCase(name.trim())
          || format.name().equalsIgnoreCase(name.trim())) {
        return format;
      }
    }
    throw new IllegalArgumentException(
        "unknown model format '" + name + "'; use one of " + parameters());
  }

  /** The short names of all formats, e.g. "dl4j, keras, onnx". */
  public static String parameters() {
    return Arrays.stream(values())
        .map(ModelFormat::parameter)
        .collect(Collectors.joining(", "))
        .toLowerCase(Locale.ROOT);
  }
}
