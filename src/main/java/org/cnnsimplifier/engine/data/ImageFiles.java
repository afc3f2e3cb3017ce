package org.cnnsimplifier.engine.data;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import org.cnnsimplifier.engine.InvalidDatasetException;
import org.cnnsimplifier.engine.model.InputShape;

/**
 * Reads PNG and JPEG files with {@code javax.imageio}: the shape from the header alone (cheap, at
 * open) and the full pixels (per batch). Images with one colour component are gray (1 channel), all
 * others RGB (3 channels); alpha is dropped.
 */
final class ImageFiles {
  static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg");

  private ImageFiles() {}

  static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** The image's shape from its header, without decoding the pixels. */
  static InputShape readShape(Path file, String displayName) {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      ImageReader reader = readerFor(in, displayName);
      try {
        reader.setInput(in, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        if (!types.hasNext()) {
          throw corrupt(displayName, "no supported colour type");
        }
        return new InputShape(channelsOf(types.next().getColorModel()), height, width);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidDatasetException ide) {
        throw ide;
      }
      throw corrupt(displayName, e);
    }
  }

  /** Decodes the whole image to values in [0, 1]. */
  static Pixels decode(Path file, String displayName) {
    return toPixels(read(file, displayName));
  }

  /**
   * Decodes the whole image to 8-bit values; {@code null} when it has more than 8 bits per sample
   * (those are only given as floats, by {@link #decode}).
   */
  static Pixels8 decode8(Path file, String displayName) {
    BufferedImage image = read(file, displayName);
    int width = image.getWidth();
    int height = image.getHeight();
    int plane = width * height;
    if (channelsOf(image.getColorModel()) == 1) {
      if (image.getColorModel().getComponentSize(0) != 8) {
        return null;
      }
      Raster raster = image.getRaster();
      byte[] out = new byte[plane];
      int[] row = new int[width];
      for (int y = 0; y < height; y++) {
        raster.getSamples(0, y, width, 1, 0, row);
        for (int x = 0; x < width; x++) {
          out[y * width + x] = (byte) row[x];
        }
      }
      return new Pixels8(new InputShape(1, height, width), out);
    }
    // Colour images are 8-bit per channel in both paths (getRGB), whatever their depth.
    int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
    byte[] out = new byte[3 * plane];
    for (int i = 0; i < plane; i++) {
      int p = argb[i];
      out[i] = (byte) (p >> 16);
      out[plane + i] = (byte) (p >> 8);
      out[2 * plane + i] = (byte) p;
    }
    return new Pixels8(new InputShape(3, height, width), out);
  }

  private static BufferedImage read(Path file, String displayName) {
    BufferedImage image;
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      ImageReader reader = readerFor(in, displayName);
      try {
        reader.setInput(in, true, true);
        image = reader.read(0);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof InvalidDatasetException ide) {
        throw ide;
      }
      throw corrupt(displayName, e);
    }
    return image;
  }

  static Pixels toPixels(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    int plane = width * height;
    if (channelsOf(image.getColorModel()) == 1) {
      // Read gray samples directly: getRGB would apply a gamma conversion to gray images.
      Raster raster = image.getRaster();
      float max = (float) ((1L << image.getColorModel().getComponentSize(0)) - 1);
      float[] out = new float[plane];
      int[] row = new int[width];
      for (int y = 0; y < height; y++) {
        raster.getSamples(0, y, width, 1, 0, row);
        for (int x = 0; x < width; x++) {
          out[y * width + x] = row[x] / max;
        }
      }
      return new Pixels(new InputShape(1, height, width), out);
    }
    int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
    float[] out = new float[3 * plane];
    for (int i = 0; i < plane; i++) {
      int p = argb[i];
      out[i] = ((p >> 16) & 0xff) / 255f;
      out[plane + i] = ((p >> 8) & 0xff) / 255f;
      out[2 * plane + i] = (p & 0xff) / 255f;
    }
    return new Pixels(new InputShape(3, height, width), out);
  }

  private static int channelsOf(java.awt.image.ColorModel model) {
    return model.getColorSpace().getNumComponents() == 1 ? 1 : 3;
  }

  private static ImageReader readerFor(ImageInputStream in, String displayName) {
    if (in == null) {
      throw corrupt(displayName, "cannot open the file");
    }
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) {
      throw corrupt(displayName, "not a PNG or JPEG image");
    }
    return readers.next();
  }

  static InvalidDatasetException corrupt(String displayName, String reason) {
    return new InvalidDatasetException(message(displayName, reason));
  }

  static InvalidDatasetException corrupt(String displayName, Exception cause) {
    String reason = cause.getMessage() != null ? cause.getMessage() : cause.toString();
    return new InvalidDatasetException(message(displayName, reason), cause);
  }

  private static String message(String displayName, String reason) {
    return "image "
        + displayName
        + " cannot be read ("
        + reason
        + "); remove or replace this file and upload the data set again";
  }
}
