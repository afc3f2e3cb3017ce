package org.cnnsimplifier.engine.model;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a model expects its input images: what the engine does to every decoded pixel before it
 * enters the network (training, evaluation, criteria, review), and what exports record.
 *
 * <p>A pixel of 8-bit value {@code p} (0–255) in channel {@code c} becomes {@code (p · scale −
 * mean[c]) / std[c]}, with channels in {@link #channelOrder} (BGR swaps the first and third channel
 * of an RGB image). The defaults — scale 1/255, mean 0, std 1, RGB — give the [0, 1] inputs Keras'
 * {@code rescale=1/255} and plain PyTorch {@code ToTensor()} produce. Common choices:
 *
 * <ul>
 *   <li>torchvision's ImageNet models ({@code Normalize}): scale 1/255, mean [0.485, 0.456, 0.406],
 *       std [0.229, 0.224, 0.225], RGB;
 *   <li>Keras {@code preprocess_input} of ResNet50/VGG ("caffe" mode): scale 1, mean [103.939,
 *       116.779, 123.68], std 1, BGR;
 *   <li>Keras "tf" mode (MobileNet, Inception): scale 1/127.5, mean 1, std 1.
 * </ul>
 *
 * @param scale multiplies the 0–255 pixel value; positive
 * @param mean subtracted after scaling: one value for every channel, or one per channel
 * @param std divides after the mean: one value, or one per channel; every value positive
 * @param channelOrder the order of colour channels the model takes
 */
public record InputPreprocessing(
    double scale, List<Double> mean, List<Double> std, ChannelOrder channelOrder) {

  /** The order of colour channels in a model's input. */
  public enum ChannelOrder {
    RGB,
    BGR
  }

  private static final InputPreprocessing DEFAULTS =
      new InputPreprocessing(1.0 / 255, List.of(0.0), List.of(1.0), ChannelOrder.RGB);

  public InputPreprocessing {
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("scale must be a positive number, got " + scale);
    }
    mean = List.copyOf(Objects.requireNonNull(mean, "mean"));
    std = List.copyOf(Objects.requireNonNull(std, "std"));
    Objects.requireNonNull(channelOrder, "channelOrder");
    if (mean.isEmpty() || std.isEmpty()) {
      throw new IllegalArgumentException("mean and std need at least one value");
    }
    for (double m : mean) {
      if (!Double.isFinite(m)) {
        throw new IllegalArgumentException("mean values must be finite numbers, got " + mean);
      }
    }
    for (double s : std) {
      if (!(s > 0) || Double.isInfinite(s)) {
        throw new IllegalArgumentException("std values must be positive numbers, got " + std);
      }
    }
  }

  /** Scale 1/255, mean 0, std 1, RGB: images in [0, 1]. */
  public static InputPreprocessing defaults() {
    return DEFAULTS;
  }

  /** The defaults with the given values replaced; a null argument keeps the default. */
  public static InputPreprocessing of(
      Double scale, List<Double> mean, List<Double> std, ChannelOrder channelOrder) {
    return new InputPreprocessing(
        scale != null ? scale : DEFAULTS.scale,
        mean != null ? mean : DEFAULTS.mean,
        std != null ? std : DEFAULTS.std,
        channelOrder != null ? channelOrder : DEFAULTS.channelOrder);
  }

  /** Whether images enter the network as plain [0, 1] RGB values. */
  public boolean changesNothing() {
    return Math.abs(scale * 255 - 1) < 1e-9
        && mean.stream().allMatch(m -> m == 0)
        && std.stream().allMatch(s -> s == 1)
        && channelOrder == ChannelOrder.RGB;
  }

  /**
   * Checks that this preprocessing fits a model with {@code channels} input channels.
   *
   * @throws IllegalArgumentException naming what does not fit
   */
  public void checkFits(int channels) {
    if (mean.size() != 1 && mean.size() != channels) {
      throw new IllegalArgumentException(
          "mean has "
              + mean.size()
              + " values but the model takes "
              + channels
              + " channel(s); give one value or one per channel");
    }
    if (std.size() != 1 && std.size() != channels) {
      throw new IllegalArgumentException(
          "std has "
              + std.size()
              + " values but the model takes "
              + channels
              + " channel(s); give one value or one per channel");
    }
    if (channelOrder == ChannelOrder.BGR && channels != 3) {
      throw new IllegalArgumentException(
          "channel order BGR needs a 3-channel model, this one takes " + channels);
    }
  }

  /**
   * Turns decoded images (values in [0, 1], RGB or gray, channel-major {@code [c][h][w]}) into
   * network input, in place.
   *
   * @param data images one after another, each {@code shape.size()} values
   */
  public void apply(float[] data, int offset, int images, InputShape shape) {
    if (changesNothing()) {
      return;
    }
    checkFits(shape.channels());
    int plane = shape.height() * shape.width();
    int size = (int) shape.size();
    float[] swap = new float[plane];
    for (int n = 0; n < images; n++) {
      int base = offset + n * size;
      if (channelOrder == ChannelOrder.BGR) {
        System.arraycopy(data, base, swap, 0, plane);
        System.arraycopy(data, base + 2 * plane, data, base, plane);
        System.arraycopy(swap, 0, data, base + 2 * plane, plane);
      }
      for (int c = 0; c < shape.channels(); c++) {
        double m = value(mean, c);
        double s = value(std, c);
        double factor = 255 * scale / s;
        double shift = m / s;
        for (int i = base + c * plane, end = i + plane; i < end; i++) {
          data[i] = (float) (data[i] * factor - shift);
        }
      }
    }
  }

  /**
   * The inverse of {@link #apply}: network input back to [0, 1] RGB (or gray) values, as a person
   * sees the image. Values outside [0, 1] are clamped.
   */
  public float[] invert(float[] input, InputShape shape) {
    float[] out = input.clone();
    int plane = shape.height() * shape.width();
    for (int c = 0; c < shape.channels(); c++) {
      double factor = value(std, c) / (255 * scale);
      double shift = value(mean, c) / (255 * scale);
      for (int i = c * plane, end = i + plane; i < end; i++) {
        out[i] = (float) Math.max(0, Math.min(1, out[i] * factor + shift));
      }
    }
    if (channelOrder == ChannelOrder.BGR && shape.channels() == 3) {
      float[] blue = java.util.Arrays.copyOfRange(out, 0, plane);
      System.arraycopy(out, 2 * plane, out, 0, plane);
      System.arraycopy(blue, 0, out, 2 * plane, plane);
    }
    return out;
  }

  /** E.g. "scale 0.00392, mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225], RGB". */
  public String describe() {
    return String.format(
        Locale.ROOT, "scale %.6g, mean %s, std %s, %s", scale, mean, std, channelOrder);
  }

  private static double value(List<Double> values, int channel) {
    return values.size() == 1 ? values.get(0) : values.get(channel);
  }
}
