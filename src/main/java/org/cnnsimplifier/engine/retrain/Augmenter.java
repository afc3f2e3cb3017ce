package org.cnnsimplifier.engine.retrain;

import java.util.SplittableRandom;
import org.cnnsimplifier.engine.plan.Retraining;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Light augmentation of a batch of NCHW images, seeded by the batch: each image is shifted by up to
 * {@code padding} pixels each way with zeros coming in (a random crop of the zero-padded image)
 * and, with {@code flip}, mirrored left to right with probability one half.
 */
public final class Augmenter {
  private Augmenter() {}

  /** A new array: the batch augmented; the same seed gives the same result. */
  public static INDArray augment(INDArray features, Retraining.Augmentation settings, long seed) {
    if (settings == null || features.rank() != 4) {
      return features;
    }
    int n = (int) features.size(0);
    int channels = (int) features.size(1);
    int height = (int) features.size(2);
    int width = (int) features.size(3);
    float[] in = features.dup('c').data().asFloat();
    float[] out = new float[in.length];
    SplittableRandom random = new SplittableRandom(seed);
    int pad = settings.padding();
    int plane = height * width;
    for (int i = 0; i < n; i++) {
      int dy = pad == 0 ? 0 : random.nextInt(2 * pad + 1) - pad;
      int dx = pad == 0 ? 0 : random.nextInt(2 * pad + 1) - pad;
      boolean flip = settings.flip() && random.nextBoolean();
      for (int c = 0; c < channels; c++) {
        int base = (i * channels + c) * plane;
        for (int y = 0; y < height; y++) {
          int sy = y + dy;
          if (sy < 0 || sy >= height) {
            continue;
          }
          for (int x = 0; x < width; x++) {
            int sx = x + dx;
            if (sx < 0 || sx >= width) {
              continue;
            }
            int source = flip ? width - 1 - sx : sx;
            out[base + y * width + x] = in[base + sy * width + source];
          }
        }
      }
    }
    return Nd4j.create(out, features.shape(), 'c').castTo(features.dataType());
  }
}
