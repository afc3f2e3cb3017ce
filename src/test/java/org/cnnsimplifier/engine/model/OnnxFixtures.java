package org.cnnsimplifier.engine.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ONNX fixtures of src/test/resources/onnx (written by make_fixtures.py with PyTorch) and what
 * PyTorch computed for them.
 */
public final class OnnxFixtures {
  private OnnxFixtures() {}

  /** The torchvision models and the small CNNs whose outputs PyTorch recorded. */
  public static final List<String> IMPORTABLE =
      List.of(
          "resnet18",
          "mobilenet_v2",
          "vgg11",
          "squeezenet1_1",
          "densenet121",
          "ops_cnn",
          "branch_cnn",
          "hardswish_opset13");

  public static Path file(String name) {
    try {
      return Path.of(OnnxFixtures.class.getResource("/onnx/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What PyTorch computed for a fixture's test batch.
   *
   * @param input the batch: value ((i · 2654435761) mod 2^32) / 2^32 at flat index i
   * @param output logits, or probabilities for a model that ends in a softmax
   */
  public record Expected(INDArray input, INDArray output) {}

  public static Expected expected(String name) {
    try {
      List<String> lines = Files.readAllLines(file(name + ".expected.txt"));
      long[] inputShape = longs(lines.get(0));
      long[] outputShape = longs(lines.get(1));
      String[] parts = lines.get(2).trim().split(" ");
      float[] values = new float[parts.length];
      for (int i = 0; i < parts.length; i++) {
        values[i] = Float.parseFloat(parts[i]);
      }
      return new Expected(images(inputShape), Nd4j.create(values, outputShape, 'c'));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The hashed test images of the given NCHW shape (as make_fixtures.py makes them). */
  public static INDArray images(long... shape) {
    long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    float[] values = new float[(int) n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) (((i * 2654435761L) % 4294967296L) / 4294967296.0);
    }
    return Nd4j.create(values, shape, 'c');
  }

  /** What the network computes before its softmax: the logits the original model output. */
  public static INDArray logits(CnnModel model, INDArray input) {
    CnnModel copy = model.copy();
    Layer out = copy.layerConf(copy.outputLayerName());
    ((BaseLayer) out).setActivationFn(new ActivationIdentity());
    INDArray result = copy.output(input).dup();
    copy.dl4j().close();
    return result;
  }

  /** The largest absolute difference between two arrays of the same shape. */
  public static double maxDifference(INDArray a, INDArray b) {
    return a.castTo(b.dataType()).sub(b).amaxNumber().doubleValue();
  }

  private static long[] longs(String line) {
    return Arrays.stream(line.trim().split(" ")).mapToLong(Long::parseLong).toArray();
  }
}
