package org.cnnsimplifier.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.cnnsimplifier.engine.TempFiles;
import org.cnnsimplifier.engine.data.DatasetOptions;
import org.cnnsimplifier.engine.data.DecodeOptions;
import org.cnnsimplifier.engine.data.DecodeProbe;
import org.cnnsimplifier.engine.data.ImageDataset;
import org.cnnsimplifier.engine.data.ImageDatasets;
import org.cnnsimplifier.engine.data.ImageDecoder;
import org.cnnsimplifier.engine.data.PhotoLikeImages;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.InputPreprocessing.ChannelOrder;
import org.cnnsimplifier.engine.runtime.NativeRuntime;
import org.datavec.image.loader.NativeImageLoader;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Decoding a class-folder data set once against decoding it per batch, side by side in one run.
 *
 * <p>Generates 224×224 JPEGs (quality 90, photo-like content, 10 classes) under {@code
 * target/decode-bench/} (kept for the next run), then prints: decode img/s with {@code
 * javax.imageio} and with OpenCV (1 and 2 threads; also DataVec's {@code NativeImageLoader
 * .asMatrix}, whose float {@code INDArray} per image the engine does not use), the store build,
 * batch img/s read from the tensor store and decoded per batch (ImageIO, OpenCV), and the training
 * img/s of a small ResNet-style network at 224×224 fed from the store and per batch.
 *
 * <p>Run from the project root, under the bench lock on shared machines:
 *
 * <pre>
 * ./mvnw -B -q -Pbenchmark verify -DskipTests \
 *   -Dbench.main=org.cnnsimplifier.bench.DecodeBenchmark [-Dbench.args="--images 3000"]
 * </pre>
 *
 * Options: {@code --images N} (3000), {@code --decode N} images timed per decoder (1000), {@code
 * --batch B} (32), {@code --train-batches N} timed training batches (12), {@code --threads T} (2).
 */
public final class DecodeBenchmark {
  private static final int SIDE = 224;
  private static final int CLASSES = 10;
  private static final InputPreprocessing IMAGENET =
      InputPreprocessing.of(
          1.0 / 255, List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225), ChannelOrder.RGB);

  private DecodeBenchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    int images = Integer.parseInt(options.getOrDefault("images", "3000"));
    int decodeCount = Math.min(images, Integer.parseInt(options.getOrDefault("decode", "1000")));
    int batch = Integer.parseInt(options.getOrDefault("batch", "32"));
    int trainBatches = Integer.parseInt(options.getOrDefault("train-batches", "12"));
    int threads = Integer.parseInt(options.getOrDefault("threads", "2"));

    NativeRuntime.initialize();
    Nd4j.getEnvironment().setMaxThreads(threads);
    Path root = Path.of("target", "decode-bench");
    Path data = generate(root.resolve("jpeg-" + images), images);
    List<Path> files;
    try (Stream<Path> walk = Files.walk(data)) {
      files = walk.filter(f -> f.toString().endsWith(".jpg")).sorted().toList();
    }
    List<Path> timed = files.subList(0, decodeCount);
    System.out.printf(
        Locale.ROOT,
        "%d JPEGs %dx%d (quality 90) in %s, %d classes; %d cores, %d threads; OpenCV natives: %s%n",
        files.size(),
        SIDE,
        SIDE,
        data,
        CLASSES,
        Runtime.getRuntime().availableProcessors(),
        threads,
        DecodeProbe.openCvAvailable());

    List<String[]> rows = new ArrayList<>();
    // Decoders alone, interleaved twice, best kept; the first pass also warms the page cache.
    double imageIo1 = 0;
    double openCv1 = 0;
    double openCv2 = 0;
    double loader1 = 0;
    for (int round = 0; round < 2; round++) {
      imageIo1 = Math.max(imageIo1, decodeRate(timed, 1, DecodeProbe::imageIo));
      openCv1 = Math.max(openCv1, decodeRate(timed, 1, DecodeProbe::openCv));
      openCv2 = Math.max(openCv2, decodeRate(timed, 2, DecodeProbe::openCv));
      NativeImageLoader loader = new NativeImageLoader();
      loader1 =
          Math.max(
              loader1,
              decodeRate(
                  timed,
                  1,
                  f -> {
                    INDArray a = loader.asMatrix(f.toFile());
                    byte[] out = new byte[(int) a.length()];
                    a.close();
                    return out;
                  }));
    }
    rows.add(row("decode, javax.imageio, 1 thread", imageIo1, imageIo1));
    rows.add(row("decode, OpenCV (imdecode to bytes), 1 thread", openCv1, imageIo1));
    rows.add(row("decode, OpenCV (imdecode to bytes), 2 threads", openCv2, imageIo1));
    rows.add(row("decode, DataVec NativeImageLoader.asMatrix, 1 thread", loader1, imageIo1));

    Path stores = root.resolve("stores");
    TempFiles.deleteRecursively(stores);
    Path work = root.resolve("work");
    DatasetOptions base =
        DatasetOptions.defaults()
            .withWorkDir(work)
            .withValidationFraction(0)
            .withPreprocessing(IMAGENET);
    DatasetOptions stored =
        base.withDecode(DecodeOptions.stored(stores.resolve("bench"), "bench-" + images, 8L << 30));
    long buildStart = System.nanoTime();
    try (ImageDataset ds = ImageDatasets.open(data, stored)) {
      double seconds = (System.nanoTime() - buildStart) / 1e9;
      if (!DecodeProbe.stored(ds)) {
        throw new IllegalStateException("no tensor store was made");
      }
      rows.add(
          row(
              "store build (open: index + decode all, "
                  + Runtime.getRuntime().availableProcessors()
                  + " threads)",
              files.size() / seconds,
              imageIo1));
    }
    long storeBytes;
    try (Stream<Path> s = Files.walk(stores)) {
      storeBytes = s.filter(Files::isRegularFile).mapToLong(DecodeBenchmark::size).sum();
    }

    try (ImageDataset fromStore = ImageDatasets.open(data, stored);
        ImageDataset imageIo =
            ImageDatasets.open(
                data, base.withDecode(DecodeOptions.perBatch().withDecoder(ImageDecoder.IMAGEIO)));
        ImageDataset openCv = ImageDatasets.open(data, base.withDecode(DecodeOptions.perBatch()))) {
      double storeRead = 0;
      double imageIoRead = 0;
      double openCvRead = 0;
      for (int round = 0; round < 2; round++) {
        storeRead = Math.max(storeRead, batchRate(fromStore, batch, files.size()));
        imageIoRead = Math.max(imageIoRead, batchRate(imageIo, batch, decodeCount));
        openCvRead = Math.max(openCvRead, batchRate(openCv, batch, decodeCount));
      }
      rows.add(row("batches (float NCHW, mean/std) from the store", storeRead, imageIo1));
      rows.add(row("batches decoded per batch, javax.imageio", imageIoRead, imageIo1));
      rows.add(row("batches decoded per batch, OpenCV", openCvRead, imageIo1));

      double[] train = trainRates(fromStore, imageIo, batch, trainBatches);
      rows.add(row("training ResNet-style 224x224, fed from the store", train[0], imageIo1));
      rows.add(row("training ResNet-style 224x224, fed per batch by ImageIO", train[1], imageIo1));
      rows.add(row("training alone (same batch again, no input work)", train[2], imageIo1));
    }
    System.out.printf(
        Locale.ROOT,
        "Tensor store: %,d bytes (%d x 3x%dx%d uint8 + header).%n%n",
        storeBytes,
        files.size(),
        SIDE,
        SIDE);
    System.out.printf(Locale.ROOT, "| %-62s | %9s | %11s |%n", "what", "img/s", "vs ImageIO");
    System.out.printf(
        Locale.ROOT, "| %-62s | %9s | %11s |%n", "-".repeat(62), "-".repeat(9), "-".repeat(11));
    for (String[] r : rows) {
      System.out.printf(Locale.ROOT, "| %-62s | %9s | %11s |%n", r[0], r[1], r[2]);
    }
    TempFiles.deleteRecursively(work);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static String[] row(String what, double rate, double imageIo) {
    return new String[] {
      what,
      String.format(Locale.ROOT, "%,.0f", rate),
      String.format(Locale.ROOT, "%.2fx", rate / imageIo)
    };
  }

  interface Decoder {
    byte[] decode(Path file) throws Exception;
  }

  private static double decodeRate(List<Path> files, int threads, Decoder decoder)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    AtomicLong checksum = new AtomicLong();
    try {
      long start = System.nanoTime();
      List<Future<?>> parts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        parts.add(
            pool.submit(
                () -> {
                  for (int i = first; i < files.size(); i += threads) {
                    byte[] pixels = decoder.decode(files.get(i));
                    if (pixels == null || pixels.length != 3 * SIDE * SIDE) {
                      throw new IllegalStateException("cannot decode " + files.get(i));
                    }
                    checksum.addAndGet(pixels[pixels.length / 2]);
                  }
                  return null;
                }));
      }
      for (Future<?> part : parts) {
        part.get();
      }
      return files.size() / ((System.nanoTime() - start) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Images per second over the first {@code limit} training images, one batch at a time. */
  private static double batchRate(ImageDataset ds, int batch, int limit) {
    DataSetIterator it = ds.train(batch, 1);
    long start = System.nanoTime();
    int seen = 0;
    while (it.hasNext() && seen < limit) {
      DataSet d = it.next();
      seen += d.numExamples();
      d.getFeatures().close();
      d.getLabels().close();
    }
    return seen / ((System.nanoTime() - start) / 1e9);
  }

  /** Training img/s from the store, per batch (ImageIO), and on one batch fed again and again. */
  private static double[] trainRates(
      ImageDataset fromStore, ImageDataset perBatch, int batch, int batches) {
    ComputationGraph net = resnetStyle();
    try {
      DataSetIterator warm = fromStore.train(batch, 5);
      for (int i = 0; i < 2 && warm.hasNext(); i++) {
        net.fit(warm.next());
      }
      double store = 0;
      double imageIo = 0;
      double alone = 0;
      DataSet same = fromStore.train(batch, 9).next();
      for (int round = 0; round < 2; round++) {
        store = Math.max(store, trainRate(net, fromStore.train(batch, 7 + round), batches));
        imageIo = Math.max(imageIo, trainRate(net, perBatch.train(batch, 7 + round), batches));
        long start = System.nanoTime();
        for (int i = 0; i < batches; i++) {
          net.fit(same);
        }
        alone = Math.max(alone, batches * batch / ((System.nanoTime() - start) / 1e9));
      }
      return new double[] {store, imageIo, alone};
    } finally {
      net.close();
    }
  }

  private static double trainRate(ComputationGraph net, DataSetIterator it, int batches) {
    long start = System.nanoTime();
    int seen = 0;
    for (int i = 0; i < batches && it.hasNext(); i++) {
      DataSet d = it.next();
      net.fit(d);
      seen += d.numExamples();
    }
    return seen / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * A small ResNet: conv7x7/2(16)-BN-ReLU-maxpool/2, then three stages of a basic residual block
   * (3x3 conv-BN-ReLU-3x3 conv-BN + shortcut, ReLU) at 16, 32 (stride 2) and 64 (stride 2)
   * channels, global average pooling, softmax over 10 classes.
   */
  static ComputationGraph resnetStyle() {
    ComputationGraphConfiguration.GraphBuilder g =
        new NeuralNetConfiguration.Builder()
            .seed(1)
            .dataType(DataType.FLOAT)
            .updater(new Adam(1e-3))
            .weightInit(WeightInit.RELU)
            .convolutionMode(ConvolutionMode.Same)
            .graphBuilder()
            .addInputs("in")
            .setInputTypes(InputType.convolutional(SIDE, SIDE, 3))
            .addLayer(
                "stem", new ConvolutionLayer.Builder(7, 7).stride(2, 2).nOut(16).build(), "in")
            .addLayer("stem_bn", new BatchNormalization.Builder().build(), "stem")
            .addLayer(
                "stem_relu",
                new ActivationLayer.Builder().activation(Activation.RELU).build(),
                "stem_bn")
            .addLayer(
                "pool",
                new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                    .kernelSize(3, 3)
                    .stride(2, 2)
                    .build(),
                "stem_relu");
    String last = "pool";
    int[] widths = {16, 32, 64};
    for (int s = 0; s < widths.length; s++) {
      last = block(g, "s" + s, last, widths[s], s == 0 ? 1 : 2);
    }
    g.addLayer("gap", new GlobalPoolingLayer.Builder().poolingType(PoolingType.AVG).build(), last)
        .addLayer(
            "out",
            new OutputLayer.Builder(LossFunction.MCXENT)
                .nOut(CLASSES)
                .activation(Activation.SOFTMAX)
                .weightInit(WeightInit.XAVIER)
                .build(),
            "gap")
        .setOutputs("out");
    ComputationGraph net = new ComputationGraph(g.build());
    net.init();
    return net;
  }

  private static String block(
      ComputationGraphConfiguration.GraphBuilder g, String name, String in, int width, int stride) {
    g.addLayer(
            name + "_c1",
            new ConvolutionLayer.Builder(3, 3).stride(stride, stride).nOut(width).build(),
            in)
        .addLayer(name + "_b1", new BatchNormalization.Builder().build(), name + "_c1")
        .addLayer(
            name + "_r1",
            new ActivationLayer.Builder().activation(Activation.RELU).build(),
            name + "_b1")
        .addLayer(
            name + "_c2", new ConvolutionLayer.Builder(3, 3).nOut(width).build(), name + "_r1")
        .addLayer(name + "_b2", new BatchNormalization.Builder().build(), name + "_c2");
    String shortcut = in;
    if (stride != 1) {
      g.addLayer(
          name + "_proj",
          new ConvolutionLayer.Builder(1, 1).stride(stride, stride).nOut(width).build(),
          in);
      shortcut = name + "_proj";
    }
    g.addVertex(
            name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), name + "_b2", shortcut)
        .addLayer(
            name + "_out",
            new ActivationLayer.Builder().activation(Activation.RELU).build(),
            name + "_add");
    return name + "_out";
  }

  /** Writes {@code count} JPEGs into {@code dir/<class>/} unless a previous run did. */
  private static Path generate(Path dir, int count) throws IOException {
    Path done = dir.resolve(".complete");
    if (Files.exists(done)) {
      return dir;
    }
    TempFiles.deleteRecursively(dir);
    for (int i = 0; i < count; i++) {
      Path file = dir.resolve("class" + (i % CLASSES)).resolve(String.format("%05d.jpg", i));
      PhotoLikeImages.writeJpeg(PhotoLikeImages.rgb(SIDE, SIDE, i), file, 0.9f);
    }
    Files.writeString(done, count + " images\n");
    return dir;
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new java.util.HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("options are --name value, got " + args[i]);
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }
}
