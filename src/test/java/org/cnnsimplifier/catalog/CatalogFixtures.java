package org.cnnsimplifier.catalog;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.cnnsimplifier.engine.TinyNets;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.cnnsimplifier.engine.runtime.NativeRuntime;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/** Upload bodies for the catalog tests: tiny models, image zips, IDX files, junk. */
final class CatalogFixtures {
  private static byte[] tinyModel;

  private CatalogFixtures() {}

  /** TinyNets.sequential written as a DL4J zip (conv1 and conv2 prunable), made once. */
  static synchronized byte[] tinyModelZip() {
    if (tinyModel == null) {
      try {
        Path dir = Files.createTempDirectory("catalog-fixture");
        Path file = dir.resolve("tiny.zip");
        ModelFiles.write(TinyNets.sequential(7), file);
        tinyModel = Files.readAllBytes(file);
        Files.delete(file);
        Files.delete(dir);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return tinyModel.clone();
  }

  /** A DL4J zip of a network without any convolution: dense(5) - output(3). */
  static byte[] denseOnlyZip() {
    NativeRuntime.initialize();
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(3)
            .list()
            .layer(new DenseLayer.Builder().nOut(5).activation(Activation.RELU).build())
            .layer(
                new OutputLayer.Builder(LossFunction.MCXENT)
                    .nOut(3)
                    .activation(Activation.SOFTMAX)
                    .build())
            .setInputType(InputType.feedForward(32))
            .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ModelSerializer.writeModel(network, out, true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static byte[] kerasUnsupportedLayer() throws IOException {
    try (var in = CatalogFixtures.class.getResourceAsStream("/keras/unsupported_layer.h5")) {
      return in.readAllBytes();
    }
  }

  static byte[] randomBytes(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    // Never start like a known file type by accident.
    bytes[0] = 'x';
    return bytes;
  }

  /** Random bytes after a zip's local-header magic: a damaged zip. */
  static byte[] damagedZip() {
    byte[] bytes = randomBytes(2000, 11);
    bytes[0] = 'P';
    bytes[1] = 'K';
    bytes[2] = 3;
    bytes[3] = 4;
    return bytes;
  }

  /** A zip of one folder per class with {@code perClass} 8x8 RGB PNGs each. */
  static byte[] classFolderZip(List<String> classes, int perClass) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int k = 0; k < classes.size(); k++) {
        for (int i = 0; i < perClass; i++) {
          zip.putNextEntry(new ZipEntry("images/" + classes.get(k) + "/" + i + ".png"));
          zip.write(png(8, 8, ((40 * k + i) << 16) | (i << 8)));
          zip.closeEntry();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The zip with more entries added at its end. */
  static byte[] zipWith(byte[] zip, java.util.Map<String, byte[]> more) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (java.util.zip.ZipInputStream in =
            new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip));
        ZipOutputStream out = new ZipOutputStream(bytes)) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        out.putNextEntry(new ZipEntry(entry.getName()));
        in.transferTo(out);
        out.closeEntry();
      }
      for (var entry : more.entrySet()) {
        out.putNextEntry(new ZipEntry(entry.getKey()));
        out.write(entry.getValue());
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** A zip of the given entries, each {@code size} zero bytes (they deflate to almost nothing). */
  static byte[] zipOfZeros(List<String> entries, int size) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      byte[] zeros = new byte[size];
      for (String entry : entries) {
        zip.putNextEntry(new ZipEntry(entry));
        zip.write(zeros);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** An IDX file of {@code count} rows×cols unsigned-byte images, image i filled with 10·i. */
  static byte[] idxImages(int count, int rows, int cols) {
    ByteBuffer buffer = ByteBuffer.allocate(16 + count * rows * cols);
    buffer.putInt(0x00000803).putInt(count).putInt(rows).putInt(cols);
    for (int i = 0; i < count; i++) {
      for (int p = 0; p < rows * cols; p++) {
        buffer.put((byte) (10 * i));
      }
    }
    return buffer.array();
  }

  /** An IDX file of labels. */
  static byte[] idxLabels(int... labels) {
    ByteBuffer buffer = ByteBuffer.allocate(8 + labels.length);
    buffer.putInt(0x00000801).putInt(labels.length);
    for (int label : labels) {
      buffer.put((byte) label);
    }
    return buffer.array();
  }

  static byte[] gzip(byte[] content) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  static byte[] png(int width, int height, int rgb) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static String sha256(byte[] bytes) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
