package org.cnnsimplifier.catalog;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.system.ApiException;

/**
 * How a model's input images are preprocessed, as a request gives it; a missing field takes the
 * value of {@code base} (the file's own record, or the defaults).
 *
 * @param scale multiplies the 0–255 pixel value (default 1/255)
 * @param mean subtracted after scaling: one value, or one per channel (default 0)
 * @param std divides after the mean: one value, or one per channel (default 1)
 * @param channelOrder RGB or BGR (default RGB)
 */
@Schema(
    description =
        "A pixel p (0-255) of channel c becomes (p * scale - mean[c]) / std[c], channels in"
            + " channelOrder. Defaults: scale 1/255, mean 0, std 1, RGB (images in [0, 1]).")
record PreprocessingRequest(
    @Schema(example = "0.00392156862745098") Double scale,
    @Schema(example = "[0.485, 0.456, 0.406]") List<Double> mean,
    @Schema(example = "[0.229, 0.224, 0.225]") List<Double> std,
    @Schema(example = "RGB") InputPreprocessing.ChannelOrder channelOrder) {

  boolean isEmpty() {
    return scale == null && mean == null && std == null && channelOrder == null;
  }

  /**
   * The preprocessing this request describes on top of {@code base}, checked against the model's
   * input channels.
   *
   * @throws ApiException 400 naming the field that is wrong
   */
  InputPreprocessing over(InputPreprocessing base, int channels) {
    InputPreprocessing result;
    try {
      result =
          new InputPreprocessing(
              scale != null ? scale : base.scale(),
              mean != null ? mean : base.mean(),
              std != null ? std : base.std(),
              channelOrder != null ? channelOrder : base.channelOrder());
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ApiException.badRequest(
          "invalid preprocessing: " + e.getMessage(), Map.of("preprocessing", e.getMessage()));
    }
    try {
      result.checkFits(channels);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "the preprocessing does not fit the model: " + e.getMessage(),
          Map.of("preprocessing", e.getMessage()));
    }
    return result;
  }

  /**
   * The request as upload parameters give it: {@code scale} a number or a fraction ("1/255"),
   * {@code mean} and {@code std} comma-separated numbers, {@code channelOrder} RGB or BGR.
   *
   * @throws ApiException 400 naming every malformed parameter
   */
  static PreprocessingRequest parse(String scale, String mean, String std, String channelOrder) {
    Map<String, String> errors = new LinkedHashMap<>();
    Double s = null;
    if (scale != null && !scale.isBlank()) {
      try {
        String[] parts = scale.trim().split("/");
        s =
            parts.length == 2
                ? Double.parseDouble(parts[0].trim()) / Double.parseDouble(parts[1].trim())
                : Double.parseDouble(scale.trim());
      } catch (NumberFormatException e) {
        errors.put("scale", "must be a number or a fraction like 1/255, got '" + scale + "'");
      }
    }
    List<Double> m = numbers("mean", mean, errors);
    List<Double> d = numbers("std", std, errors);
    InputPreprocessing.ChannelOrder order = null;
    if (channelOrder != null && !channelOrder.isBlank()) {
      try {
        order =
            InputPreprocessing.ChannelOrder.valueOf(channelOrder.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        errors.put("channelOrder", "must be RGB or BGR, got '" + channelOrder + "'");
      }
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest("invalid preprocessing parameters: " + errors, errors);
    }
    return new PreprocessingRequest(s, m, d, order);
  }

  private static List<Double> numbers(String field, String text, Map<String, String> errors) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Arrays.stream(text.split(",")).map(String::trim).map(Double::valueOf).toList();
    } catch (NumberFormatException e) {
      errors.put(
          field, "must be comma-separated numbers like 0.485,0.456,0.406, got '" + text + "'");
      return null;
    }
  }
}
