package org.cnnsimplifier.engine.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** Writes tiny images, class folders, zips and IDX files for the tests. */
final class TestImages {

  private TestImages() {}

  /** An RGB image filled with one colour. */
  static BufferedImage rgb(int width, int height, int rgb) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }

  /** A gray image whose pixel (x, y) is {@code value(x, y)} in 0..255. */
  static BufferedImage gray(int width, int height, java.util.function.IntBinaryOperator value) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.getRaster().setSample(x, y, 0, value.applyAsInt(x, y));
      }
    }
    return image;
  }

  static Path write(BufferedImage image, Path file) {
    String name = file.getFileName().toString();
    String format = name.endsWith(".png") ? "png" : "jpg";
    try {
      Files.createDirectories(file.getParent());
      if (!ImageIO.write(image, format, file.toFile())) {
        throw new IllegalStateException("no writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /**
   * Fills {@code dir/className/i.png} with {@code count} 8x8 RGB images for each class; class k's
   * images have red = 10 k + i, so a test can tell images apart.
   */
  static Path classFolders(Path dir, List<String> classes, int count) {
    for (int k = 0; k < classes.size(); k++) {
      for (int i = 0; i < count; i++) {
        int red = 10 * k + i;
        write(rgb(8, 8, red << 16), dir.resolve(classes.get(k)).resolve(i + ".png"));
      }
    }
    return dir;
  }

  /** Zips everything under {@code dir}, entry names relative to it with '/' separators. */
  static Path zip(Path dir, Path zipFile) {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zipFile));
        Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new ZipEntry(dir.relativize(file).toString().replace('\\', '/')));
        Files.copy(file, out);
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return zipFile;
  }

  /** A zip with the given entry names, each holding {@code content}. */
  static Path zipEntries(Path zipFile, byte[] content, String... names) {
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zipFile))) {
      for (String name : names) {
        out.putNextEntry(new ZipEntry(name));
        out.write(content);
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return zipFile;
  }

  static byte[] png(BufferedImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** IDX images: image i has every pixel equal to {@code (i * 7) % 256}. */
  static byte[] idxImages(int count, int rows, int cols) {
    ByteBuffer buffer = ByteBuffer.allocate(16 + count * rows * cols);
    buffer.putInt(0x00000803).putInt(count).putInt(rows).putInt(cols);
    for (int i = 0; i < count; i++) {
      for (int p = 0; p < rows * cols; p++) {
        buffer.put((byte) ((i * 7) % 256));
      }
    }
    return buffer.array();
  }

  /** IDX labels: label i is {@code i % classes}. */
  static byte[] idxLabels(int count, int classes) {
    ByteBuffer buffer = ByteBuffer.allocate(8 + count);
    buffer.putInt(0x00000801).putInt(count);
    for (int i = 0; i < count; i++) {
      buffer.put((byte) (i % classes));
    }
    return buffer.array();
  }

  static Path writeBytes(Path file, byte[] bytes, boolean gzip) {
    try {
      Files.createDirectories(file.getParent());
      try (OutputStream out =
          gzip ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
        out.write(bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Files and folders left under {@code dir}. */
  static List<Path> contents(Path dir) {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> !p.equals(dir)).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
