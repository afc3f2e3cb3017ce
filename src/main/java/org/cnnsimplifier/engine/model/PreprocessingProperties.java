package org.cnnsimplifier.engine.model;

import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@link InputPreprocessing} as text key/value pairs, for the metadata entry of DL4J zips and the
 * {@code metadata_props} of ONNX files: {@code preprocessing.scale}, {@code preprocessing.mean},
 * {@code preprocessing.std} (comma-separated numbers) and {@code preprocessing.channel_order}.
 */
public final class PreprocessingProperties {
  public static final String SCALE = "preprocessing.scale";
  public static final String MEAN = "preprocessing.mean";
  public static final String STD = "preprocessing.std";
  public static final String CHANNEL_ORDER = "preprocessing.channel_order";

  private PreprocessingProperties() {}

  public static void write(InputPreprocessing preprocessing, BiConsumer<String, String> put) {
    put.accept(SCALE, Double.toString(preprocessing.scale()));
    put.accept(MEAN, join(preprocessing.mean()));
    put.accept(STD, join(preprocessing.std()));
    put.accept(CHANNEL_ORDER, preprocessing.channelOrder().name());
  }

  /**
   * The preprocessing the pairs describe; the defaults for missing keys.
   *
   * @throws IllegalArgumentException when a value is not a valid one
   */
  public static InputPreprocessing read(Function<String, String> get) {
    String scale = get.apply(SCALE);
    String mean = get.apply(MEAN);
    String std = get.apply(STD);
    String order = get.apply(CHANNEL_ORDER);
    return InputPreprocessing.of(
        scale == null ? null : Double.parseDouble(scale.trim()),
        mean == null ? null : split(mean),
        std == null ? null : split(std),
        order == null ? null : InputPreprocessing.ChannelOrder.valueOf(order.trim()));
  }

  private static String join(List<Double> values) {
    return values.stream().map(String::valueOf).collect(Collectors.joining(","));
  }

  private static List<Double> split(String text) {
    return Arrays.stream(text.split(",")).map(String::trim).map(Double::valueOf).toList();
  }
}
