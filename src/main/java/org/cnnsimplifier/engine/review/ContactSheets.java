package org.cnnsimplifier.engine.review;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/**
 * PNG contact sheets of a {@link KernelGallery}: one row of cells, one per sample image, in the
 * same order for the input images and for every kernel, so the sheets line up when stacked. Within
 * a kernel's sheet all maps share one colour scale (viridis, from 0 or the sheet's minimum to the
 * sheet's maximum), so a kernel that never fires is one flat colour.
 */
public final class ContactSheets {
  /** The colour map of kernel sheets, as stated to the viewer. */
  public static final String COLOR_MAP = "viridis";

  private static final int GAP = 2;

  private ContactSheets() {}

  /** Cell size in pixels: maps are enlarged (nearest neighbour) to at least 48 pixels. */
  static int scale(int height, int width) {
    return Math.max(1, (int) Math.ceil(48.0 / Math.max(1, Math.min(height, width))));
  }

  /** The input images (grey or RGB). */
  public static byte[] inputs(KernelGallery gallery) {
    KernelGallery.Sample first = gallery.samples().get(0);
    int scale = scale(first.height(), first.width());
    int cellW = first.width() * scale;
    int cellH = first.height() * scale;
    BufferedImage sheet = canvas(gallery.samples().size(), cellW, cellH);
    for (int s = 0; s < gallery.samples().size(); s++) {
      KernelGallery.Sample sample = gallery.samples().get(s);
      int plane = sample.height() * sample.width();
      for (int y = 0; y < cellH; y++) {
        for (int x = 0; x < cellW; x++) {
          int p = (y / scale) * sample.width() + x / scale;
          int r = gray(sample.pixels()[p]);
          int g = sample.channels() >= 3 ? gray(sample.pixels()[plane + p]) : r;
          int b = sample.channels() >= 3 ? gray(sample.pixels()[2 * plane + p]) : r;
          sheet.setRGB(s * (cellW + GAP) + x, y, (r << 16) | (g << 8) | b);
        }
      }
    }
    return png(sheet);
  }

  /** Kernel k's activation maps on every sample, on one colour scale. */
  public static byte[] kernel(KernelGallery gallery, int k) {
    float[][] maps = gallery.maps()[k];
    float min = 0;
    float max = 0;
    for (float[] map : maps) {
      for (float v : map) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    int scale = scale(gallery.mapHeight(), gallery.mapWidth());
    int cellW = gallery.mapWidth() * scale;
    int cellH = gallery.mapHeight() * scale;
    BufferedImage sheet = canvas(maps.length, cellW, cellH);
    double range = max - min;
    for (int s = 0; s < maps.length; s++) {
      for (int y = 0; y < cellH; y++) {
        for (int x = 0; x < cellW; x++) {
          float v = maps[s][(y / scale) * gallery.mapWidth() + x / scale];
          double t = range == 0 ? 0 : (v - min) / range;
          sheet.setRGB(s * (cellW + GAP) + x, y, Viridis.rgb(t));
        }
      }
    }
    return png(sheet);
  }

  private static BufferedImage canvas(int cells, int cellW, int cellH) {
    int width = cells * cellW + (cells - 1) * GAP;
    BufferedImage image = new BufferedImage(width, cellH, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < width; x++) {
      for (int y = 0; y < cellH; y++) {
        image.setRGB(x, y, 0xFFFFFF);
      }
    }
    return image;
  }

  private static int gray(float v) {
    return Math.max(0, Math.min(255, Math.round(v * 255)));
  }

  private static byte[] png(BufferedImage image) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
