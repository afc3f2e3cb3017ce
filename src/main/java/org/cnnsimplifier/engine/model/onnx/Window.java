package org.cnnsimplifier.engine.model.onnx;

import org.cnnsimplifier.engine.InvalidModelException;
import org.cnnsimplifier.engine.model.ExportableLayers;

/**
 * The sliding window of a convolution or pooling node: kernel, strides, dilations and the explicit
 * padding {@code [top, left, bottom, right]} its attributes (or {@code auto_pad}) mean for a given
 * input size.
 */
record Window(int[] kernel, int[] strides, int[] dilations, int[] pads) {

  static Window of(Attributes a, int[] kernel, long height, long width, String where) {
    int[] strides = ints(a.integers("strides", new long[] {1, 1}), where, "strides");
    int[] dilations = ints(a.integers("dilations", new long[] {1, 1}), where, "dilations");
    String autoPad = a.text("auto_pad", "NOTSET");
    int[] pads;
    switch (autoPad) {
      case "NOTSET" -> pads = ints(a.integers("pads", new long[] {0, 0, 0, 0}), where, "pads");
      case "VALID" -> pads = new int[4];
      case "SAME_UPPER", "SAME_LOWER" -> {
        pads = ExportableLayers.samePadding(new long[] {height, width}, kernel, strides, dilations);
        if (autoPad.equals("SAME_LOWER")) {
          // The odd cell at the top and left instead.
          pads = new int[] {pads[2], pads[3], pads[0], pads[1]};
        }
      }
      default -> throw new InvalidModelException(where + ": unknown auto_pad '" + autoPad + "'");
    }
    if (pads.length != 4) {
      throw new InvalidModelException(where + ": pads must have 4 values for a 2D window");
    }
    return new Window(kernel, strides, dilations, pads);
  }

  static int[] ints(long[] values, String where, String what) {
    if (values.length != 2 && !what.equals("pads")) {
      throw new InvalidModelException(
          where + ": " + what + " has " + values.length + " values; only 2D windows are supported");
    }
    int[] out = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] > Integer.MAX_VALUE) {
        throw new InvalidModelException(
            where + ": " + what + " value " + values[i] + " is not supported");
      }
      out[i] = (int) values[i];
    }
    return out;
  }

  boolean symmetric() {
    return pads[0] == pads[2] && pads[1] == pads[3];
  }

  boolean padded() {
    return pads[0] + pads[1] + pads[2] + pads[3] > 0;
  }

  int effective(int axis) {
    return (kernel[axis] - 1) * dilations[axis] + 1;
  }

  /** Output size along an axis (0 height, 1 width), floor or ceil mode. */
  long out(long in, int axis, boolean ceil) {
    long span = in + pads[axis] + pads[axis + 2] - effective(axis);
    if (span < 0) {
      return 0;
    }
    long out = (ceil ? (span + strides[axis] - 1) / strides[axis] : span / strides[axis]) + 1;
    // As PyTorch: the last window must start inside the input or the leading padding.
    if (ceil && (out - 1) * strides[axis] >= in + pads[axis]) {
      out--;
    }
    return out;
  }

  /** The padding to add at the end of an axis for {@code out} windows (ceil mode), or 0. */
  int ceilExtra(long in, long out, int axis) {
    long needed = (out - 1) * strides[axis] + effective(axis);
    return (int) Math.max(0, needed - (in + pads[axis] + pads[axis + 2]));
  }

  /** The same window with extra padding at the bottom and right. */
  Window padEnd(int bottom, int right) {
    return new Window(
        kernel,
        strides,
        dilations,
        new int[] {pads[0], pads[1], pads[2] + bottom, pads[3] + right});
  }

  Window unpadded() {
    return new Window(kernel, strides, dilations, new int[4]);
  }
}
