package org.cnnsimplifier.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.cnnsimplifier.engine.ProgressListener;
import org.cnnsimplifier.engine.SimplificationResult;
import org.cnnsimplifier.engine.Simplifier;
import org.cnnsimplifier.engine.criteria.Criterion;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.plan.Strategy;
import org.cnnsimplifier.engine.report.StepEvent;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.retrain.Evaluator;
import org.cnnsimplifier.engine.retrain.Trainer;
import org.cnnsimplifier.engine.runtime.NativeRuntime;
import org.cnnsimplifier.engine.surgery.ChannelGraph;
import org.cnnsimplifier.engine.surgery.PruningGroup;

/**
 * The strategies compared at equal size and equal total retraining budget on Fashion-MNIST: a
 * converged reference CNN (see {@link ConvergedBaseline}; trained once and cached), the same model
 * trained on with the budget and no pruning (the yardstick), then each strategy × criterion
 * removing half the kernels of every convolution (and of the hidden dense layer with {@code
 * --with-dense}), over several seeds, and in the same run a PyTorch reference of the same L1
 * pruning ({@code src/test/python/pruning_reference.py}) started from the same baseline weights and
 * trained on the same split. Prints mean ± std of test accuracy, parameters and FLOPs kept and CPU
 * seconds, and writes {@code target/strategy-comparison/comparison.png} (test accuracy against
 * parameters kept).
 *
 * <p>Run from the project root: {@code ./mvnw -B -q -Pbenchmark verify -DskipTests
 * -Dbench.main=org.cnnsimplifier.bench.StrategyComparison -Dbench.args="..."}. Options:
 *
 * <ul>
 *   <li>{@code --seeds N} retraining seeds 1..N (3), or {@code --seed-list 1,2,5}
 *   <li>{@code --budget B} total retraining batches of every job (844 = 1 epoch at batch 64)
 *   <li>{@code --strategies PROGRESSIVE,ITERATIVE_FULL,ONE_SHOT} (all three)
 *   <li>{@code --criteria L1,TAYLOR} (L1); {@code --all} every criterion
 *   <li>{@code --with-dense} also halve the hidden dense layer
 *   <li>The retraining options default to the service's job defaults ({@link
 *       Retraining#recommended()}), the same for every strategy; each can be changed:
 *   <li>{@code --lr R} retraining learning rate (1e-3), {@code --batch N} (64)
 *   <li>{@code --final-share F} share of the budget spent on a final whole-model fine-tune by the
 *       strategies that retrain in stages (0.25)
 *   <li>{@code --split EVEN|PARAMS|FLOPS} how the staged strategies divide their budget among
 *       layers (EVEN): by the share of parameters or FLOPs each layer's elimination removes
 *   <li>{@code --schedule constant|cosine[:warmup]} the learning rate within every stage (cosine),
 *       {@code --carry} / {@code --no-carry} one optimiser state carried across stages (carried),
 *       {@code --distill alpha:T|off} distillation from the baseline (0.5:4), {@code --optimizer
 *       adam|adamw|sgd[:wd[:momentum]]} (adam)
 *   <li>{@code --step K} kernels per ITERATIVE_FULL step (16)
 *   <li>{@code --parallel N} jobs at a time, each on its own thread, the PyTorch reference beside
 *       them (1); use with {@code -Dbench.threads=1}
 *   <li>{@code --torch on|off} the PyTorch rows (on); {@code --python PATH} (/usr/bin/python3)
 *   <li>{@code --baseline FILE} a DL4J zip of the reference CNN to start from instead of the
 *       converged one (exploration only)
 *   <li>{@code --no-yardstick}, {@code --cache DIR} (target/strategy-comparison), {@code --data
 *       DIR} (/usr/share/datasets/fashion-mnist), {@code --out DIR} (target/strategy-comparison)
 * </ul>
 */
public final class StrategyComparison {
  static final long SPLIT_SEED = 42;
  static final long BASELINE_SEED = 42;
  static final int VALIDATION_IMAGES = 6_000;
  static final double RATIO = 0.5;

  /** One job's figures. */
  record Run(
      String row,
      String series,
      long seed,
      double testAccuracy,
      double paramsKept,
      double flopsKept,
      double cpuSeconds,
      long batches) {}

  private final Options o;
  private final FashionMnistSplits data;
  private final CnnModel baseline;
  private final ArchitectureSummary baselineSummary;

  private StrategyComparison(Options o, FashionMnistSplits data, CnnModel baseline) {
    this.o = o;
    this.data = data;
    this.baseline = baseline;
    this.baselineSummary = ArchitectureSummary.of(baseline);
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    NativeRuntime.initialize();
    long start = System.nanoTime();
    Files.createDirectories(o.out);
    FashionMnistSplits data = FashionMnistSplits.load(o.data, VALIDATION_IMAGES, SPLIT_SEED);
    System.out.printf(
        Locale.ROOT,
        "data: Fashion-MNIST %d train / %d validation (split seed %d) / %d test%n",
        data.trainCount(),
        data.validationCount(),
        SPLIT_SEED,
        data.testCount());
    ConvergedBaseline.Trained trained =
        o.baseline != null
            ? ConvergedBaseline.given(o.baseline)
            : ConvergedBaseline.load(o.cache, data, BASELINE_SEED, SPLIT_SEED);
    System.out.println(trained.description().lines().findFirst().orElse(""));
    StrategyComparison comparison = new StrategyComparison(o, data, trained.model());
    double baselineTest = comparison.test(trained.model());
    System.out.printf(
        Locale.ROOT,
        "budget %d batches of %d per job (%.2f epochs); %s; seeds %s; %d job(s) at a time%n",
        o.budget,
        o.batch,
        o.budget * (double) o.batch / data.trainCount(),
        o.describe(),
        o.seeds,
        o.parallel);

    List<java.util.concurrent.Callable<Run>> jobs = new ArrayList<>();
    for (long seed : o.seeds) {
      if (o.yardstick) {
        jobs.add(() -> print(comparison.yardstick(seed)));
      }
      for (Strategy strategy : o.strategies) {
        for (Criterion criterion : o.criteria) {
          jobs.add(() -> print(comparison.simplify(strategy, criterion, seed)));
        }
      }
    }
    List<Run> runs = new ArrayList<>();
    java.util.concurrent.CompletableFuture<List<Run>> torch = null;
    if (o.torch && o.parallel > 1) {
      // The PyTorch process runs beside the DL4J jobs; its CPU seconds are its own.
      torch =
          java.util.concurrent.CompletableFuture.supplyAsync(
              () -> comparison.torchUnchecked(trained.weights()));
    }
    if (o.parallel <= 1) {
      for (var job : jobs) {
        runs.add(job.call());
      }
    } else {
      var pool = java.util.concurrent.Executors.newFixedThreadPool(o.parallel);
      try {
        for (var future : pool.invokeAll(jobs)) {
          runs.add(future.get());
        }
      } finally {
        pool.shutdown();
      }
    }
    if (torch != null) {
      runs.addAll(torch.join());
    } else if (o.torch) {
      runs.addAll(comparison.torch(trained.weights()));
    }
    String table = table(runs, baselineTest, o);
    System.out.println();
    System.out.println(table);
    Files.writeString(o.out.resolve("comparison.md"), table);
    Path png = o.out.resolve("comparison.png");
    ComparisonPlot.write(runs, baselineTest, png);
    System.out.printf(
        Locale.ROOT,
        "plot: %s%ntotal wall time %.0f s%n",
        png.toAbsolutePath(),
        (System.nanoTime() - start) / 1e9);
  }

  /** The baseline trained on with the whole budget, nothing removed (no distillation). */
  private Run yardstick(long seed) {
    CnnModel model = baseline.copy();
    double cpu = cpuSeconds();
    Retraining r = retraining().withDistillation(null).withCarryOptimizerState(false);
    long batches = Trainer.train(model, null, data, r, seed, Cancellation.NEVER);
    return measure("unpruned + budget (yardstick)", "yardstick", seed, model, cpu, batches);
  }

  /** The retraining of every job: the whole budget, as the options say. */
  private Retraining retraining() {
    Retraining r =
        new Retraining(1, o.batch, o.lr, 0)
            .withBudget(Retraining.Budget.batches(o.budget))
            .withSplit(Retraining.Split.valueOf(o.split))
            .withFineTuneShare(o.finalShare)
            .withSchedule(o.schedule)
            .withCarryOptimizerState(o.carry)
            .withOptimizer(o.optimizer);
    return o.distillation == null ? r : r.withDistillation(o.distillation);
  }

  private Run simplify(Strategy strategy, Criterion criterion, long seed) {
    double cpu = cpuSeconds();
    SimplificationPlan plan =
        SimplificationPlan.progressive(criterion, new EliminationPolicy.Ratio(RATIO), seed)
            .withStrategy(strategy)
            .withLayers(layers())
            .withIterativeStep(o.step)
            .withRetraining(retraining());
    SimplificationResult result =
        new Simplifier()
            .run(baseline.copy(), data, plan, new ProgressListener() {}, Cancellation.NEVER);
    long batches = result.report().steps().stream().mapToLong(StepEvent::batches).sum();
    return measure(
        strategy + " + " + criterion, strategy.name(), seed, result.model(), cpu, batches);
  }

  /** The groups simplified: every convolution, and the hidden dense layer with --with-dense. */
  private List<String> layers() {
    List<String> names = new ArrayList<>();
    for (PruningGroup group : ChannelGraph.of(baseline).prunableGroups()) {
      boolean dense =
          baseline.layerConf(group.name()) instanceof org.deeplearning4j.nn.conf.layers.DenseLayer;
      if (!dense || o.withDense) {
        names.add(group.name());
      }
    }
    return names;
  }

  private int removedKernels(String layer) {
    long out =
        ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) baseline.layerConf(layer)).getNOut();
    return (int) Math.floor(out * RATIO);
  }

  private Run measure(String row, String series, long seed, CnnModel model, double cpu, long b) {
    double used = cpuSeconds() - cpu;
    ArchitectureSummary summary = ArchitectureSummary.of(model);
    return new Run(
        row,
        series,
        seed,
        test(model),
        summary.totalParams() / (double) baselineSummary.totalParams(),
        summary.totalFlops() / (double) baselineSummary.totalFlops(),
        used,
        b);
  }

  private double test(CnnModel model) {
    return Evaluator.evaluate(model, data.test(256).orElseThrow(), Cancellation.NEVER).accuracy();
  }

  private List<Run> torchUnchecked(Path weights) {
    try {
      return torch(weights);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs the PyTorch reference on the same weights, split and budget; its rows. */
  private List<Run> torch(Path weights) throws IOException, InterruptedException {
    Path indices = o.out.resolve("split");
    Files.createDirectories(indices);
    data.writeIndices(indices.resolve("train.i32"), indices.resolve("validation.i32"));
    Path tsv = o.out.resolve("torch-results.tsv");
    Files.deleteIfExists(tsv);
    List<String> command =
        new ArrayList<>(
            List.of(
                o.python,
                o.torchScript.toString(),
                "--weights",
                weights.toString(),
                "--data",
                o.data.toString(),
                "--train-indices",
                indices.resolve("train.i32").toString(),
                "--budget",
                Integer.toString(o.budget),
                "--batch",
                Integer.toString(o.batch),
                "--lr",
                Double.toString(o.lr),
                "--step",
                Integer.toString(o.step),
                "--final-share",
                Double.toString(o.finalShare),
                "--schedule",
                o.schedule.shape().name().toLowerCase(Locale.ROOT)
                    + ":"
                    + o.schedule.warmupBatches(),
                "--distill",
                o.distillation == null
                    ? "off"
                    : o.distillation.alpha() + ":" + o.distillation.temperature(),
                "--ratio",
                Double.toString(RATIO),
                "--seeds",
                String.join(",", o.seeds.stream().map(String::valueOf).toList()),
                "--threads",
                System.getenv().getOrDefault("OMP_NUM_THREADS", "2"),
                "--out",
                tsv.toString()));
    if (o.withDense) {
      command.add("--with-dense");
    }
    System.out.println("PyTorch reference: " + String.join(" ", command));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var lines = process.inputReader(StandardCharsets.UTF_8)) {
      String line;
      while ((line = lines.readLine()) != null) {
        System.out.println("  torch | " + line);
      }
    }
    if (process.waitFor() != 0) {
      throw new IOException("the PyTorch reference failed (apt-get install -y python3-torch?)");
    }
    List<Run> runs = new ArrayList<>();
    for (String line : Files.readAllLines(tsv)) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\t");
      runs.add(
          new Run(
              "PyTorch " + f[0] + " + L1",
              "PyTorch " + f[0],
              Long.parseLong(f[1]),
              Double.parseDouble(f[2]),
              Double.parseDouble(f[3]),
              Double.parseDouble(f[4]),
              Double.parseDouble(f[5]),
              Long.parseLong(f[6])));
    }
    return runs;
  }

  private static Run print(Run r) {
    System.out.printf(
        Locale.ROOT,
        "  seed %d  %-34s test %.4f  params %5.1f%%  FLOPs %5.1f%%  %5.0f CPU s  %d batches%n",
        r.seed(),
        r.row(),
        r.testAccuracy(),
        100 * r.paramsKept(),
        100 * r.flopsKept(),
        r.cpuSeconds(),
        r.batches());
    return r;
  }

  static String table(List<Run> runs, double baselineTest, Options o) {
    Map<String, List<Run>> rows = new LinkedHashMap<>();
    for (Run r : runs) {
      rows.computeIfAbsent(r.row(), k -> new ArrayList<>()).add(r);
    }
    double yardstick =
        rows.containsKey("unpruned + budget (yardstick)")
            ? mean(rows.get("unpruned + budget (yardstick)"), Run::testAccuracy)
            : Double.NaN;
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "Fashion-MNIST test (10,000 images); converged baseline test %.4f; ratio %.1f on every"
                + " convolution%s; budget %d batches of %d per job; %s; seeds %s%n%n",
            baselineTest,
            RATIO,
            o.withDense ? " and the hidden dense layer" : "",
            o.budget,
            o.batch,
            o.describe(),
            o.seeds));
    s.append(
        "| job | test accuracy (mean ± std) | vs yardstick | params kept | FLOPs kept | CPU s |"
            + " batches | seeds |\n");
    s.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (Map.Entry<String, List<Run>> e : rows.entrySet()) {
      List<Run> rs = e.getValue();
      s.append(
          String.format(
              Locale.ROOT,
              "| %s | %.4f ± %.4f | %+.2f pt | %.1f%% | %.1f%% | %.0f ± %.0f | %d | %d |%n",
              e.getKey(),
              mean(rs, Run::testAccuracy),
              std(rs, Run::testAccuracy),
              100 * (mean(rs, Run::testAccuracy) - yardstick),
              100 * mean(rs, Run::paramsKept),
              100 * mean(rs, Run::flopsKept),
              mean(rs, Run::cpuSeconds),
              std(rs, Run::cpuSeconds),
              rs.get(0).batches(),
              rs.size()));
    }
    return s.toString();
  }

  static double mean(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
    return runs.stream().mapToDouble(f).average().orElse(Double.NaN);
  }

  static double std(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
    if (runs.size() < 2) {
      return 0;
    }
    double m = mean(runs, f);
    double sum = 0;
    for (Run r : runs) {
      double d = f.applyAsDouble(r) - m;
      sum += d * d;
    }
    return Math.sqrt(sum / (runs.size() - 1));
  }

  /**
   * CPU time of this process, every thread (native ones included); with parallel jobs, of the
   * calling thread only (native threads set to 1, the job's work runs on it).
   */
  private double cpuSeconds() {
    if (o.parallel > 1) {
      return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
    }
    var os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime() / 1e9;
    }
    return Double.NaN;
  }

  /** The command line. */
  static final class Options {
    /** The retraining settings every job starts from: the service's defaults. */
    static final Retraining RECOMMENDED = Retraining.recommended();

    List<Long> seeds = List.of(1L, 2L, 3L);
    int budget = 844;
    int batch = RECOMMENDED.batchSize();
    double lr = RECOMMENDED.learningRate();
    double finalShare = RECOMMENDED.fineTuneShare();
    String split = RECOMMENDED.split().name();
    int step = 16;
    int parallel = 1;
    Retraining.Schedule schedule = RECOMMENDED.schedule();
    boolean carry = RECOMMENDED.carryOptimizerState();
    Retraining.Optimizer optimizer = RECOMMENDED.optimizer();
    Retraining.Distillation distillation = RECOMMENDED.distillation();
    boolean withDense;
    boolean torch = true;
    boolean yardstick = true;
    List<Strategy> strategies =
        List.of(Strategy.PROGRESSIVE, Strategy.ITERATIVE_FULL, Strategy.ONE_SHOT);
    List<Criterion> criteria = List.of(Criterion.L1);
    String python = "/usr/bin/python3";
    Path torchScript = Path.of("src/test/python/pruning_reference.py");
    Path data = Path.of("/usr/share/datasets/fashion-mnist");
    Path out = Path.of("target", "strategy-comparison");
    Path cache = Path.of("target", "strategy-comparison");
    Path baseline;

    String describe() {
      return String.format(
          Locale.ROOT,
          "lr %s, %s, schedule %s warm-up %d, split %s, final fine-tune share %.2f, optimiser state"
              + " %s, distillation %s",
          lr,
          optimizer.kind() + (optimizer.weightDecay() > 0 ? " wd " + optimizer.weightDecay() : ""),
          schedule.shape(),
          schedule.warmupBatches(),
          split,
          finalShare,
          carry ? "carried" : "fresh per stage",
          distillation == null
              ? "off"
              : "alpha " + distillation.alpha() + " T " + distillation.temperature());
    }

    /** {@code constant|cosine[:warmupBatches]}, the learning rate within every stage. */
    static Retraining.Schedule schedule(String option) {
      String[] v = option.split(":");
      return new Retraining.Schedule(
          Retraining.Schedule.Shape.valueOf(v[0].toUpperCase(Locale.ROOT)),
          v.length > 1 ? Integer.parseInt(v[1]) : 0);
    }

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--seeds" -> {
            int n = Integer.parseInt(args[++i]);
            List<Long> s = new ArrayList<>();
            for (long k = 1; k <= n; k++) {
              s.add(k);
            }
            o.seeds = s;
          }
          case "--seed-list" ->
              o.seeds = Arrays.stream(args[++i].split(",")).map(Long::parseLong).toList();
          case "--budget" -> o.budget = Integer.parseInt(args[++i]);
          case "--batch" -> o.batch = Integer.parseInt(args[++i]);
          case "--lr" -> o.lr = Double.parseDouble(args[++i]);
          case "--final-share" -> o.finalShare = Double.parseDouble(args[++i]);
          case "--split" -> o.split = args[++i].toUpperCase(Locale.ROOT);
          case "--step" -> o.step = Integer.parseInt(args[++i]);
          case "--schedule" -> o.schedule = schedule(args[++i]);
          case "--carry" -> o.carry = true;
          case "--no-carry" -> o.carry = false;
          case "--parallel" -> o.parallel = Integer.parseInt(args[++i]);
          case "--optimizer" -> {
            // adam|adamw|sgd[:weightDecay[:momentum]]
            String[] v = args[++i].split(":");
            o.optimizer =
                new Retraining.Optimizer(
                    Retraining.Optimizer.Kind.valueOf(v[0].toUpperCase(Locale.ROOT)),
                    v.length > 1 ? Double.parseDouble(v[1]) : 0,
                    v.length > 2 ? Double.parseDouble(v[2]) : 0);
          }
          case "--distill" -> {
            // alpha:temperature, or off
            String[] v = args[++i].split(":");
            o.distillation =
                "off".equals(v[0])
                    ? null
                    : new Retraining.Distillation(
                        Double.parseDouble(v[0]), v.length > 1 ? Double.parseDouble(v[1]) : 4);
          }
          case "--with-dense" -> o.withDense = true;
          case "--torch" -> o.torch = !"off".equals(args[++i]);
          case "--no-yardstick" -> o.yardstick = false;
          case "--strategies" ->
              o.strategies = Arrays.stream(args[++i].split(",")).map(Strategy::valueOf).toList();
          case "--criteria" ->
              o.criteria = Arrays.stream(args[++i].split(",")).map(Criterion::valueOf).toList();
          case "--all" -> o.criteria = List.of(Criterion.values());
          case "--python" -> o.python = args[++i];
          case "--torch-script" -> o.torchScript = Path.of(args[++i]);
          case "--data" -> o.data = Path.of(args[++i]);
          case "--cache" -> o.cache = Path.of(args[++i]);
          case "--out" -> o.out = Path.of(args[++i]);
          case "--baseline" -> o.baseline = Path.of(args[++i]);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (!List.of("EVEN", "PARAMS", "FLOPS").contains(o.split)) {
        throw new IllegalArgumentException("--split EVEN|PARAMS|FLOPS, got " + o.split);
      }
      if (o.finalShare < 0 || o.finalShare >= 1) {
        throw new IllegalArgumentException("--final-share must be in [0, 1)");
      }
      return o;
    }
  }
}
