package org.cnnsimplifier.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.retrain.Evaluator;
import org.cnnsimplifier.engine.runtime.FastPath;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The reference CNN trained until its validation accuracy stops improving: Adam, batch 64, the
 * learning rate {@link #LEARNING_RATE} for {@link #WARM_EPOCHS} epochs and then divided by {@link
 * #DECAY} every epoch (step decay), stopped at the first epoch after the warm ones that does not
 * improve the best validation accuracy (or at {@link #MAX_EPOCHS}), the best epoch's weights kept.
 * Trained once per setting and cached as a DL4J zip under the cache directory (each improving
 * epoch's model too, as it goes), with its weights as raw float32 files for the PyTorch reference.
 */
final class ConvergedBaseline {
  static final int MAX_EPOCHS = 10;
  static final int WARM_EPOCHS = 2;
  static final double DECAY = 3;
  static final double LEARNING_RATE = 1e-3;
  static final int BATCH = 64;

  record Trained(CnnModel model, Path weights, String description) {}

  private ConvergedBaseline() {}

  /** The cache key: every setting the baseline depends on. */
  static String key(long seed, long splitSeed, int validationImages) {
    return String.format(
        Locale.ROOT,
        "reference-seed%d-split%d-val%d-adam%s-batch%d-warm%d-stepdecay%s-max%d",
        seed,
        splitSeed,
        validationImages,
        LEARNING_RATE,
        BATCH,
        WARM_EPOCHS,
        DECAY,
        MAX_EPOCHS);
  }

  /** A model given as a file (for exploration), with its weights exported beside it. */
  static Trained given(Path zip) throws IOException {
    CnnModel model = ModelFiles.read(zip);
    Path weights = zip.resolveSibling(zip.getFileName() + "-weights");
    if (!Files.isDirectory(weights)) {
      exportWeights(model.network(), weights);
    }
    return new Trained(model, weights, "baseline given: " + zip);
  }

  static Trained load(Path cache, FashionMnistSplits data, long seed, long splitSeed)
      throws IOException {
    String key = key(seed, splitSeed, data.validationCount());
    Path zip = cache.resolve(key + ".zip");
    Path info = cache.resolve(key + ".txt");
    Path weights = cache.resolve(key + "-weights");
    if (Files.isRegularFile(zip) && Files.isRegularFile(info)) {
      CnnModel model = ModelFiles.read(zip);
      if (!Files.isDirectory(weights)) {
        exportWeights(model.network(), weights);
      }
      return new Trained(model, weights, Files.readString(info).strip() + " (cached: " + zip + ")");
    }
    Files.createDirectories(cache);
    MultiLayerNetwork network = ReferenceCnn.build(seed);
    FastPath.apply(network);
    CnnModel model = CnnModel.of(network, new InputShape(1, 28, 28), ModelFormat.DL4J_ZIP);
    double rate = LEARNING_RATE;
    double best = -1;
    int bestEpoch = 0;
    INDArray bestParams = null;
    boolean stop = false;
    long start = System.nanoTime();
    List<String> log = new ArrayList<>();
    int epoch = 0;
    while (epoch < MAX_EPOCHS && !stop) {
      rate = epoch < WARM_EPOCHS ? LEARNING_RATE : rate / DECAY;
      network.setLearningRate(rate);
      DataSetIterator it = data.train(BATCH, seed * 1_000 + epoch);
      for (int b = 1; it.hasNext(); b++) {
        network.fit(it.next());
        if (b % 200 == 0) {
          System.out.printf(
              Locale.ROOT,
              "  baseline epoch %d: %d batches, %.0f s%n",
              epoch + 1,
              b,
              (System.nanoTime() - start) / 1e9);
        }
      }
      epoch++;
      double validation =
          Evaluator.evaluate(model, data.validation(256), Cancellation.NEVER).accuracy();
      String line =
          String.format(
              Locale.ROOT,
              "baseline epoch %2d  lr %.2e  validation %.4f  %4.0f s",
              epoch,
              rate,
              validation,
              (System.nanoTime() - start) / 1e9);
      System.out.println(line);
      log.add(line);
      if (validation > best) {
        best = validation;
        bestEpoch = epoch;
        bestParams = network.params().dup();
        ModelFiles.write(model, cache.resolve(key + "-epoch" + epoch + ".zip"));
      } else if (epoch > WARM_EPOCHS) {
        stop = true;
      }
    }
    network.setParams(bestParams);
    double test =
        Evaluator.evaluate(model, data.test(256).orElseThrow(), Cancellation.NEVER).accuracy();
    String description =
        String.format(
            Locale.ROOT,
            "converged baseline: %d epochs trained, best epoch %d kept, validation %.4f, test %.4f,"
                + " %.0f s",
            epoch,
            bestEpoch,
            best,
            test,
            (System.nanoTime() - start) / 1e9);
    ModelFiles.write(model, zip);
    Files.writeString(info, description + "\n" + String.join("\n", log) + "\n");
    exportWeights(network, weights);
    return new Trained(model, weights, description);
  }

  /**
   * Every parameter array as {@code <layer>_<W|b>.f32} (float32 little-endian, row-major in DL4J's
   * shape: convolution W [out, in, kh, kw], dense W [in, out]) and a {@code shapes.txt} listing
   * them.
   */
  static void exportWeights(MultiLayerNetwork network, Path folder) throws IOException {
    Files.createDirectories(folder);
    StringBuilder shapes = new StringBuilder();
    for (Map.Entry<String, INDArray> e : network.paramTable().entrySet()) {
      INDArray a = e.getValue().dup('c');
      float[] values = a.data().asFloat();
      ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      for (float v : values) {
        buffer.putFloat(v);
      }
      Files.write(folder.resolve(e.getKey() + ".f32"), buffer.array());
      shapes.append(e.getKey());
      for (long d : a.shape()) {
        shapes.append(' ').append(d);
      }
      shapes.append('\n');
    }
    Files.writeString(folder.resolve("shapes.txt"), shapes.toString());
  }
}
