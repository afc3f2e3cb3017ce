package org.cnnsimplifier.support;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.engine.runtime.NativeRuntime;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * A tiny gray-image CNN and a class-folder data set it can learn (each class lights its own patch),
 * as upload bytes for service tests.
 */
public final class LearnableFixtures {
  public static final int SIZE = 12;
  public static final int CLASSES = 3;

  private LearnableFixtures() {}

  /** conv(6)-pool-conv(5)-dense(8)-output(3) on 1×12×12, untrained, as a DL4J zip. */
  public static byte[] modelZip(Path dir) {
    return modelZip(dir, Activation.SOFTMAX, LossFunction.MCXENT);
  }

  /** The same network with another output activation and loss (a multi-label sigmoid, say). */
  public static byte[] modelZip(Path dir, Activation output, LossFunction loss) {
    try {
      Path file = Files.createTempFile(dir, "tiny", ".zip");
      ModelFiles.write(model(output, loss), file);
      byte[] bytes = Files.readAllBytes(file);
      Files.delete(file);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The network of {@link #modelZip(Path, Activation, LossFunction)}, untrained. */
  public static CnnModel model(Activation output, LossFunction loss) {
    NativeRuntime.initialize();
    var conf =
        new NeuralNetConfiguration.Builder()
            .seed(3)
            .dataType(DataType.FLOAT)
            .updater(new Adam(1e-2))
            .list()
            .layer(
                new ConvolutionLayer.Builder(3, 3)
                    .name("conv1")
                    .nOut(6)
                    .activation(Activation.RELU)
                    .build())
            .layer(
                new SubsamplingLayer.Builder(PoolingType.MAX)
                    .name("pool1")
                    .kernelSize(2, 2)
                    .stride(2, 2)
                    .build())
            .layer(
                new ConvolutionLayer.Builder(2, 2)
                    .name("conv2")
                    .nOut(5)
                    .activation(Activation.RELU)
                    .build())
            .layer(
                new DenseLayer.Builder().name("dense").nOut(8).activation(Activation.RELU).build())
            .layer(
                new OutputLayer.Builder(loss).name("out").nOut(CLASSES).activation(output).build())
            .setInputType(InputType.convolutional(SIZE, SIZE, 1))
            .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    return CnnModel.of(network, new InputShape(1, SIZE, SIZE), ModelFormat.DL4J_ZIP);
  }

  /** A zip of class folders "a", "b", "c" with {@code perClass} gray PNGs each. */
  public static byte[] datasetZip(int perClass, long seed) {
    Random random = new Random(seed);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int c = 0; c < CLASSES; c++) {
        for (int i = 0; i < perClass; i++) {
          zip.putNextEntry(new ZipEntry("shapes/" + (char) ('a' + c) + "/" + i + ".png"));
          zip.write(png(c, random));
          zip.closeEntry();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static byte[] png(int label, Random random) throws IOException {
    BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        int top = 1 + 3 * label;
        boolean lit = y >= top && y < top + 3 && x >= top && x < top + 3;
        int v = lit ? 180 + random.nextInt(75) : random.nextInt(70);
        image.getRaster().setSample(x, y, 0, v);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }
}
