package org.cnnsimplifier.engine.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Images with the detail of photographs (smooth gradients, edges, noise), so decoders differ where
 * they would on real pictures; and JPEG files at a chosen quality.
 */
public final class PhotoLikeImages {

  private PhotoLikeImages() {}

  /** An RGB image of {@code width}×{@code height}, the same for the same seed. */
  public static BufferedImage rgb(int width, int height, long seed) {
    Random random = new Random(seed);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    double fx = 0.02 + random.nextDouble() * 0.1;
    double fy = 0.02 + random.nextDouble() * 0.1;
    int cx = random.nextInt(width);
    int cy = random.nextInt(height);
    int radius = Math.max(2, Math.min(width, height) / (2 + random.nextInt(3)));
    int[] base = {random.nextInt(256), random.nextInt(256), random.nextInt(256)};
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        boolean inside = (x - cx) * (x - cx) + (y - cy) * (y - cy) < radius * radius;
        int rgb = 0;
        for (int c = 0; c < 3; c++) {
          double wave = 60 * Math.sin(x * fx * (c + 1) + y * fy) + 40 * Math.cos(y * fy * (3 - c));
          int v = (int) (base[c] + wave + random.nextGaussian() * 12 + (inside ? 70 : 0));
          rgb = (rgb << 8) | Math.max(0, Math.min(255, v));
        }
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  /** The image's luminance as an 8-bit gray image. */
  public static BufferedImage gray(BufferedImage rgb) {
    BufferedImage gray =
        new BufferedImage(rgb.getWidth(), rgb.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
    gray.getGraphics().drawImage(rgb, 0, 0, null);
    return gray;
  }

  /** Writes a JPEG of quality {@code quality} (0–1). */
  public static Path writeJpeg(BufferedImage image, Path file, float quality) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
      ImageWriter writer = writers.next();
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(quality);
      Files.deleteIfExists(file);
      try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
        writer.setOutput(out);
        writer.write(null, new IIOImage(image, null, null), param);
      } finally {
        writer.dispose();
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
