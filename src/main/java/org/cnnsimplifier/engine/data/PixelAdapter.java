package org.cnnsimplifier.engine.data;

import org.cnnsimplifier.engine.model.InputShape;

/**
 * Converts decoded images to a target shape: gray to RGB by replicating the channel, RGB to gray by
 * luminance (ITU-R BT.601: 0.299 R + 0.587 G + 0.114 B), then a bilinear resize with pixel centres
 * aligned (the convention of PIL and TensorFlow's {@code resize}, so small images do not shift).
 */
final class PixelAdapter {
  private static final float RED = 0.299f;
  private static final float GREEN = 0.587f;
  private static final float BLUE = 0.114f;

  private PixelAdapter() {}

  /**
   * The image in {@code target}'s shape, channel-major; the input's buffer when nothing changes.
   */
  static float[] adapt(Pixels pixels, InputShape target) {
    Pixels converted = convertChannels(pixels, target.channels());
    return resize(converted, target.height(), target.width());
  }

  static Pixels convertChannels(Pixels pixels, int channels) {
    InputShape shape = pixels.shape();
    if (shape.channels() == channels) {
      return pixels;
    }
    int plane = shape.height() * shape.width();
    float[] src = pixels.data();
    float[] out = new float[channels * plane];
    if (shape.channels() == 1 && channels == 3) {
      for (int c = 0; c < 3; c++) {
        System.arraycopy(src, 0, out, c * plane, plane);
      }
    } else if (shape.channels() == 3 && channels == 1) {
      for (int i = 0; i < plane; i++) {
        out[i] = RED * src[i] + GREEN * src[plane + i] + BLUE * src[2 * plane + i];
      }
    } else {
      throw new IllegalArgumentException(
          "cannot convert " + shape.channels() + " channels to " + channels);
    }
    return new Pixels(new InputShape(channels, shape.height(), shape.width()), out);
  }

  static float[] resize(Pixels pixels, int height, int width) {
    InputShape shape = pixels.shape();
    int srcH = shape.height();
    int srcW = shape.width();
    if (srcH == height && srcW == width) {
      return pixels.data();
    }
    float[] src = pixels.data();
    float[] out = new float[shape.channels() * height * width];
    // Source coordinates and weights depend only on the output row/column: compute them once.
    int[] y0 = new int[height];
    int[] y1 = new int[height];
    float[] fy = new float[height];
    sampling(srcH, height, y0, y1, fy);
    int[] x0 = new int[width];
    int[] x1 = new int[width];
    float[] fx = new float[width];
    sampling(srcW, width, x0, x1, fx);
    for (int c = 0; c < shape.channels(); c++) {
      int srcBase = c * srcH * srcW;
      int outBase = c * height * width;
      for (int y = 0; y < height; y++) {
        int row0 = srcBase + y0[y] * srcW;
        int row1 = srcBase + y1[y] * srcW;
        for (int x = 0; x < width; x++) {
          float top = src[row0 + x0[x]] + fx[x] * (src[row0 + x1[x]] - src[row0 + x0[x]]);
          float bottom = src[row1 + x0[x]] + fx[x] * (src[row1 + x1[x]] - src[row1 + x0[x]]);
          out[outBase + y * width + x] = top + fy[y] * (bottom - top);
        }
      }
    }
    return out;
  }

  private static void sampling(int srcSize, int outSize, int[] lo, int[] hi, float[] frac) {
    double scale = (double) srcSize / outSize;
    for (int i = 0; i < outSize; i++) {
      double s = (i + 0.5) * scale - 0.5;
      if (s < 0) {
        s = 0;
      }
      int low = Math.min((int) s, srcSize - 1);
      lo[i] = low;
      hi[i] = Math.min(low + 1, srcSize - 1);
      frac[i] = (float) (s - low);
    }
  }
}
