package org.cnnsimplifier.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.runtime.NativeRuntime;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Training and inference speed of the engine's DL4J path against PyTorch, in one run, on the
 * benchmark CNN and Fashion-MNIST; the reference is {@code src/test/python/torch_reference.py}
 * (Debian's {@code python3-torch}), run by this class.
 *
 * <p>Besides images per second it prints the achieved training GFLOP/s — the CNN's forward FLOPs
 * per image (2 × multiply-adds, as the engine's architecture summary counts them) × 3 for forward
 * and backward (the usual convention: the backward pass costs two forwards, one for the input
 * gradient and one for the weight gradient) × images per second — against the fp32 peak of the CPU
 * it runs on ({@link CpuPeak}), and the speed of a PROGRESSIVE retraining stage ({@link
 * ProgressiveStageRun}: frozen tail, the network the engine's Trainer builds) next to plain
 * training of the same network.
 *
 * <p>Run from the project root: {@code ./mvnw -B -q -Pbenchmark verify -DskipTests}; pass options
 * with {@code -Dbench.args="--helpers both --batches 64,256"}. Options:
 *
 * <ul>
 *   <li>{@code --train N} training images, one pass (12000)
 *   <li>{@code --batches B,B} training batch sizes (64,256; the reference's default is 64)
 *   <li>{@code --helpers on|off|both} oneDNN layer helpers in DL4J (on)
 *   <li>{@code --torch on|off} also run the PyTorch reference (on)
 *   <li>{@code --repeats R} interleaved runs per engine and batch size, best kept (3)
 *   <li>{@code --stage on|off} also time the PROGRESSIVE retraining stage (on)
 *   <li>{@code --torch-script PATH} (src/test/python/torch_reference.py), {@code --python PATH}
 *       (/usr/bin/python3), {@code --threads T} (2), {@code --data DIR}
 *       (/usr/share/datasets/fashion-mnist)
 * </ul>
 */
public final class Benchmark {
  private static final int TEST_IMAGES = 2000;
  private static final int TEST_BATCH = 256;

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = parse(args);
    int train = Integer.parseInt(options.getOrDefault("train", "12000"));
    int threads = Integer.parseInt(options.getOrDefault("threads", "2"));
    String helpersOption = options.getOrDefault("helpers", "on");
    boolean torch = !"off".equals(options.get("torch"));
    boolean stage = !"off".equals(options.get("stage"));
    int repeats = Integer.parseInt(options.getOrDefault("repeats", "3"));
    Path data = Path.of(options.getOrDefault("data", "/usr/share/datasets/fashion-mnist"));
    Path script =
        Path.of(options.getOrDefault("torch-script", "src/test/python/torch_reference.py"))
            .toAbsolutePath()
            .normalize();
    String python = options.getOrDefault("python", "/usr/bin/python3");
    List<Integer> batches = new ArrayList<>();
    for (String b : options.getOrDefault("batches", "64,256").split(",")) {
      batches.add(Integer.parseInt(b.trim()));
    }
    List<Boolean> helperModes =
        switch (helpersOption) {
          case "on" -> List.of(true);
          case "off" -> List.of(false);
          case "both" -> List.of(true, false);
          default -> throw new IllegalArgumentException("--helpers on|off|both");
        };

    NativeRuntime.initialize();
    Nd4j.getEnvironment().setMaxThreads(threads);
    FashionMnist trainSet = FashionMnist.load(data, "train", train);
    FashionMnist testSet = FashionMnist.load(data, "t10k", TEST_IMAGES);
    List<DataSet> test = testSet.batches(TEST_BATCH);
    long flops = ReferenceCnn.flopsPerImage();
    CpuPeak peak = CpuPeak.measure();

    System.out.printf(
        Locale.ROOT,
        "Benchmark CNN (%,d params, %.1f MFLOP/image forward, NCHW, float, Adam 1e-3),"
            + " Fashion-MNIST: one training pass over %d images; inference 3 x %d test images at"
            + " batch %d.%n",
        ReferenceCnn.PARAMS,
        flops / 1e6,
        trainSet.count(),
        testSet.count(),
        TEST_BATCH);
    System.out.printf(
        Locale.ROOT,
        "Threads: %d (OMP_NUM_THREADS=%s). oneDNN helpers available: %s. DL4J timings exclude a"
            + " warm-up of %d training batches + 2 inference batches on a throwaway network;"
            + " the PyTorch script times from its first batch. Each figure: best of %d"
            + " interleaved runs (training from the same initial weights each time).%n",
        threads,
        System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
        NativeRuntime.helpersEnabled(),
        Dl4jRun.WARMUP_BATCHES,
        repeats);
    System.out.printf(
        Locale.ROOT,
        "CPU: %s; fp32 peak %s.%nTraining GFLOP/s = img/s x %.1f MFLOP x 3 (forward + backward:"
            + " input and weight gradients each cost a forward).%n%n",
        cpuModel(),
        peak.describe(),
        flops / 1e6);

    List<String> rows = new ArrayList<>();
    List<String> ratios = new ArrayList<>();
    List<String> stages = new ArrayList<>();
    for (int batch : batches) {
      List<DataSet> trainBatches = trainSet.batches(batch);
      TorchReference.Result reference = null;
      Map<Boolean, Dl4jRun.Result> dl4j = new LinkedHashMap<>();
      ProgressiveStageRun.Result stageResult = null;
      // Interleaved repeats, best of each: other processes on the machine only ever slow a run.
      for (int repeat = 0; repeat < repeats; repeat++) {
        if (torch) {
          TorchReference.Result run =
              TorchReference.run(python, script, data, trainSet.count(), batch, threads);
          System.err.printf(
              Locale.ROOT,
              "  run %d, batch %d, PyTorch: train %.1f, infer %.1f img/s%n",
              repeat + 1,
              batch,
              run.trainPerSecond(),
              run.inferPerSecond());
          reference = TorchReference.best(reference, run);
        }
        for (boolean helpers : helperModes) {
          Dl4jRun.Result run = Dl4jRun.run(trainBatches, test, batch, helpers);
          System.err.printf(
              Locale.ROOT,
              "  run %d, batch %d, DL4J helpers %s: train %.1f, infer %.1f img/s%n",
              repeat + 1,
              batch,
              helpers ? "on" : "off",
              run.trainPerSecond(),
              run.inferPerSecond());
          dl4j.merge(helpers, run, Dl4jRun::best);
        }
        if (stage) {
          ProgressiveStageRun.Result run = ProgressiveStageRun.run(trainBatches, batch);
          System.err.printf(
              Locale.ROOT,
              "  run %d, batch %d, PROGRESSIVE stage: %.1f, plain (same network) %.1f img/s%n",
              repeat + 1,
              batch,
              run.stagePerSecond(),
              run.plainPerSecond());
          stageResult = ProgressiveStageRun.best(stageResult, run);
        }
      }
      if (reference != null) {
        rows.add(
            row(
                "PyTorch",
                batch,
                "-",
                reference.trainPerSecond(),
                gflops(reference.trainPerSecond(), flops),
                peak,
                reference.inferPerSecond(),
                reference.accuracy()));
      }
      for (Dl4jRun.Result r : dl4j.values()) {
        String helpers = r.helpers() ? "on" : "off";
        rows.add(
            row(
                "DL4J",
                batch,
                helpers,
                r.trainPerSecond(),
                gflops(r.trainPerSecond(), flops),
                peak,
                r.inferPerSecond(),
                r.accuracy()));
        if (reference != null) {
          ratios.add(
              String.format(
                  Locale.ROOT,
                  "batch %3d, helpers %-3s: DL4J/PyTorch train %.2fx, inference %.2fx",
                  batch,
                  helpers,
                  r.trainPerSecond() / reference.trainPerSecond(),
                  r.inferPerSecond() / reference.inferPerSecond()));
        }
      }
      if (stageResult != null) {
        stages.add(
            String.format(
                Locale.ROOT,
                "batch %3d: PROGRESSIVE stage %8.1f img/s (%5.1f GFLOP/s by the convention),"
                    + " plain %8.1f img/s (%5.1f GFLOP/s): stage/plain %.2fx",
                batch,
                stageResult.stagePerSecond(),
                gflops(stageResult.stagePerSecond(), stageResult.flopsPerImage()),
                stageResult.plainPerSecond(),
                gflops(stageResult.plainPerSecond(), stageResult.flopsPerImage()),
                stageResult.stagePerSecond() / stageResult.plainPerSecond()));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%-8s %5s %7s %12s %12s %7s %12s %9s%n",
        "engine",
        "batch",
        "helpers",
        "train img/s",
        "train GFLOP/s",
        "% peak",
        "infer img/s",
        "accuracy");
    rows.forEach(System.out::println);
    System.out.println();
    ratios.forEach(System.out::println);
    System.out.println(
        "(accuracy: on the 2000 test images after one training pass; the first run's)");
    if (!stages.isEmpty()) {
      CnnModel pruned = ProgressiveStageRun.pruned();
      System.out.printf(
          Locale.ROOT,
          "%nPROGRESSIVE retraining stage, as the engine's Trainer builds it (ComputationGraph):"
              + " %s pruned to half its kernels (%.1f MFLOP/image), trained up to %s, the layers"
              + " after it frozen (FrozenLayerWithBackprop); plain = the same network, all"
              + " layers trainable, same builder. Best of %d interleaved runs.%n",
          ProgressiveStageRun.PRUNED,
          ProgressiveStageRun.flopsPerImage(pruned) / 1e6,
          ProgressiveStageRun.lastConsumer(pruned),
          repeats);
      stages.forEach(System.out::println);
      pruned.close();
    }
  }

  private static double gflops(double imagesPerSecond, long flopsPerImage) {
    return imagesPerSecond * flopsPerImage * 3 / 1e9;
  }

  private static String cpuModel() {
    try {
      return java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown");
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static String row(
      String engine,
      int batch,
      String helpers,
      double train,
      double trainGflops,
      CpuPeak peak,
      double infer,
      double accuracy) {
    return String.format(
        Locale.ROOT,
        "%-8s %5d %7s %12.1f %13.1f %6.1f%% %12.1f %9.4f",
        engine,
        batch,
        helpers,
        train,
        trainGflops,
        100 * trainGflops / peak.gflops(),
        infer,
        accuracy);
  }

  private static Map<String, String> parse(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --option value, got " + args[i]);
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }
}
