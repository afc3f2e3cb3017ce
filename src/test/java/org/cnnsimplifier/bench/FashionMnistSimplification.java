package org.cnnsimplifier.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.cnnsimplifier.engine.ProgressListener;
import org.cnnsimplifier.engine.SimplificationResult;
import org.cnnsimplifier.engine.Simplifier;
import org.cnnsimplifier.engine.criteria.Criterion;
import org.cnnsimplifier.engine.data.DatasetOptions;
import org.cnnsimplifier.engine.data.ImageDataset;
import org.cnnsimplifier.engine.data.ImageDatasets;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.plan.Strategy;
import org.cnnsimplifier.engine.report.Metrics;
import org.cnnsimplifier.engine.report.SpeedComparison;
import org.cnnsimplifier.engine.report.StepEvent;
import org.cnnsimplifier.engine.report.TargetReport;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.retrain.Evaluator;
import org.cnnsimplifier.engine.retrain.Trainer;
import org.cnnsimplifier.engine.runtime.NativeRuntime;
import org.cnnsimplifier.engine.runtime.SpeedMeter;
import org.cnnsimplifier.engine.surgery.ChannelGraph;
import org.cnnsimplifier.engine.surgery.PruningGroup;

/**
 * The method on a real data set: trains the reference CNN on Fashion-MNIST (54,000 training images,
 * 6,000 held out for validation, the 10,000 test images only evaluated), then simplifies it with
 * PROGRESSIVE retraining and the L1 criterion, removing half the kernels of every convolution layer
 * (with {@code --with-dense}, half the hidden dense layer's units too), and prints parameters,
 * FLOPs, test accuracy and wall time before and after, and the measured inference speed-up (latency
 * at batch 1, throughput at batch 64) next to the FLOP reduction.
 *
 * <p>{@code --target-params 0.25} and/or {@code --target-flops 0.25} use a target policy instead of
 * ratio 0.5 (sensitivity curves and chosen ratios are printed); {@code --strategy ONE_SHOT} picks
 * the strategy; {@code --budget-batches 1688} sets the total retraining budget (ONE_SHOT trains it
 * in one fine-tune, PROGRESSIVE splits it evenly over the layers), {@code --final-share 0.25} the
 * share of it for a final whole-model fine-tune, {@code --schedule cosine[:warm-up batches]} the
 * learning rate within every stage (constant); {@code --reuse-reference} reads the reference
 * trained by an earlier run with the same {@code --epochs}.
 *
 * <p>Run: {@code ./mvnw -B -q -Pbenchmark verify -DskipTests
 * -Dbench.main=org.cnnsimplifier.bench.FashionMnistSimplification -Dbench.args="--epochs 2"}.
 * Writes {@code target/fashion-mnist/reference.zip} and {@code simplified.zip}.
 */
public final class FashionMnistSimplification {

  public static void main(String[] args) throws Exception {
    int epochs = 2;
    int retrainEpochs = 1;
    boolean dense = false;
    Double targetParams = null;
    Double targetFlops = null;
    Strategy strategy = Strategy.PROGRESSIVE;
    int budgetBatches = 0;
    boolean reuse = false;
    int maxBatches = 0;
    double fineTuneShare = 0;
    Retraining.Schedule schedule = Retraining.Schedule.constant();
    Path data = Path.of("/usr/share/datasets/fashion-mnist");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--epochs" -> epochs = Integer.parseInt(args[++i]);
        case "--retrain-epochs" -> retrainEpochs = Integer.parseInt(args[++i]);
        case "--data" -> data = Path.of(args[++i]);
        case "--with-dense" -> dense = true;
        case "--target-params" -> targetParams = Double.parseDouble(args[++i]);
        case "--target-flops" -> targetFlops = Double.parseDouble(args[++i]);
        case "--strategy" -> strategy = Strategy.valueOf(args[++i]);
        case "--budget-batches" -> budgetBatches = Integer.parseInt(args[++i]);
        case "--reuse-reference" -> reuse = true;
        case "--max-batches" -> maxBatches = Integer.parseInt(args[++i]);
        case "--final-share" -> fineTuneShare = Double.parseDouble(args[++i]);
        case "--schedule" -> schedule = StrategyComparison.Options.schedule(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    NativeRuntime.initialize();
    Path out = Files.createDirectories(Path.of("target", "fashion-mnist"));
    DatasetOptions options = DatasetOptions.defaults().withValidationFraction(0.1).withSeed(42);
    try (ImageDataset fashion = ImageDatasets.open(data, options)) {
      System.out.println("data: " + fashion.summary());
      Path referenceFile = out.resolve("reference-" + epochs + "-epochs.zip");
      CnnModel model;
      long start = System.nanoTime();
      if (reuse && Files.exists(referenceFile)) {
        model = ModelFiles.read(referenceFile);
        System.out.println("reference read from " + referenceFile);
      } else {
        model =
            CnnModel.of(ReferenceCnn.build(42), new InputShape(1, 28, 28), ModelFormat.DL4J_ZIP);
        Trainer.train(
            model,
            null,
            fashion,
            new Retraining(epochs, 64, 1e-3, maxBatches),
            42,
            Cancellation.NEVER);
        System.out.printf(Locale.ROOT, "trained %d epochs in %.0f s%n", epochs, seconds(start));
        ModelFiles.write(model, referenceFile);
      }
      ModelFiles.write(model, out.resolve("reference.zip"));

      boolean target = targetParams != null || targetFlops != null;
      EliminationPolicy policy =
          target
              ? EliminationPolicy.Target.of(targetParams, targetFlops)
              : new EliminationPolicy.Ratio(0.5);
      SimplificationPlan plan =
          SimplificationPlan.progressive(Criterion.L1, policy, 42)
              .withStrategy(strategy)
              .withRetraining(
                  new Retraining(retrainEpochs, 64, 1e-3, maxBatches).withSchedule(schedule));
      if (dense) {
        // Every prunable group: the convolutions and the hidden dense layer's units.
        plan =
            plan.withLayers(
                ChannelGraph.of(model).prunableGroups().stream().map(PruningGroup::name).toList());
      }
      if (budgetBatches > 0) {
        // One total budget, spent in full: ONE_SHOT in its fine-tune, the staged strategies
        // divide it among their layers (and the final fine-tune) as Retraining documents.
        plan =
            plan.withRetraining(
                plan.retraining()
                    .withBudget(Retraining.Budget.batches(budgetBatches))
                    .withFineTuneShare(fineTuneShare));
        System.out.printf(
            Locale.ROOT,
            "retraining budget %d batches in total (final fine-tune share %.2f)%n",
            budgetBatches,
            fineTuneShare);
      } else if (fineTuneShare > 0) {
        throw new IllegalArgumentException("--final-share needs --budget-batches");
      }
      ProgressListener print =
          new ProgressListener() {
            @Override
            public void onTargetAllocated(TargetReport t) {
              printTarget(t);
            }

            @Override
            public void onStep(StepEvent e) {
              System.out.printf(
                  Locale.ROOT,
                  "  %-8s kernels %3d -> %3d  params %,9d -> %,9d  FLOPs %,11d -> %,11d"
                      + "  val acc %.4f after elimination, %.4f after retraining  %.0f s%n",
                  e.layer(),
                  e.kernelsBefore(),
                  e.kernelsAfter(),
                  e.paramsBefore(),
                  e.paramsAfter(),
                  e.flopsBefore(),
                  e.flopsAfter(),
                  e.afterElimination().accuracy(),
                  e.afterRetraining() == null ? Double.NaN : e.afterRetraining().accuracy(),
                  e.seconds());
            }
          };
      start = System.nanoTime();
      SimplificationResult result =
          new Simplifier().run(model, fashion, plan, print, Cancellation.NEVER);
      double wall = seconds(start);
      ModelFiles.write(result.model(), out.resolve("simplified.zip"));

      Metrics before =
          Evaluator.evaluate(model, fashion.test(256).orElseThrow(), Cancellation.NEVER);
      Metrics after =
          Evaluator.evaluate(result.model(), fashion.test(256).orElseThrow(), Cancellation.NEVER);
      ArchitectureSummary original = ArchitectureSummary.of(model);
      ArchitectureSummary simplified = ArchitectureSummary.of(result.model());
      if (result.report().target() != null) {
        TargetReport t = result.report().target();
        System.out.printf(
            Locale.ROOT,
            "target params %s flops %s: predicted params %,d (%.4f) FLOPs %,d (%.4f);"
                + " achieved params %,d (%.4f) FLOPs %,d (%.4f)%n",
            t.params(),
            t.flops(),
            t.predictedParams(),
            (double) t.predictedParams() / t.originalParams(),
            t.predictedFlops(),
            (double) t.predictedFlops() / t.originalFlops(),
            t.achievedParams(),
            (double) t.achievedParams() / t.originalParams(),
            t.achievedFlops(),
            (double) t.achievedFlops() / t.originalFlops());
      }
      System.out.printf(
          Locale.ROOT,
          "%n"
              + plan.strategy()
              + " + L1, "
              + plan.policy().describe()
              + " on every convolution layer%s, retraining %s (%d batches trained):%n"
              + "  params        %,10d -> %,10d  (%.1f%%)%n"
              + "  FLOPs/image   %,10d -> %,10d  (%.1f%%)%n"
              + "  test accuracy %10.4f -> %10.4f  (%d test images)%n"
              + "  wall time of the simplification: %.0f s%n",
          dense ? " and the hidden dense layer" : "",
          budgetBatches > 0
              ? "budget " + budgetBatches + " batches"
              : retrainEpochs + " epoch(s) per stage",
          result.report().batchesTrained(),
          original.totalParams(),
          simplified.totalParams(),
          100.0 * simplified.totalParams() / original.totalParams(),
          original.totalFlops(),
          simplified.totalFlops(),
          100.0 * simplified.totalFlops() / original.totalFlops(),
          before.accuracy(),
          after.accuracy(),
          after.images(),
          wall);
      // The report's figures (measured at the end of the run, default budget), then a longer
      // measurement of the same two models for steadier figures.
      printSpeed("measured by the run (its report)", result.report().speed());
      printSpeed(
          "measured again, 10 s budget",
          SpeedMeter.compare(model, result.model(), Duration.ofSeconds(10)));
    }
  }

  private static void printSpeed(String how, SpeedComparison speed) {
    System.out.printf(
        Locale.ROOT,
        "  inference speed, %s, %d threads:%n"
            + "    latency b1    %8.3f ms -> %8.3f ms  speed-up %.2fx%n"
            + "    throughput b%d %8.0f /s -> %8.0f /s  speed-up %.2fx%n"
            + "    FLOP reduction %.2fx (%d b1 and %d b%d runs per model, interleaved)%n",
        how,
        speed.threads(),
        speed.original().latencyMillis(),
        speed.simplified().latencyMillis(),
        speed.latencySpeedUp(),
        speed.throughputBatch(),
        speed.original().imagesPerSecond(),
        speed.simplified().imagesPerSecond(),
        speed.throughputSpeedUp(),
        speed.flopReduction(),
        speed.latencyRuns(),
        speed.throughputRuns(),
        speed.throughputBatch());
  }

  private static void printTarget(TargetReport t) {
    System.out.printf(
        Locale.ROOT,
        "sensitivity on %d %s images (unpruned %.4f), %.0f s; accuracy at ratio 0.1 ... 0.9:%n",
        t.images(),
        t.split(),
        t.accuracy(),
        t.seconds());
    for (TargetReport.Curve c : t.curves()) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-8s", c.group()));
      for (TargetReport.Point p : c.points()) {
        line.append(String.format(Locale.ROOT, " %.3f", p.accuracy()));
      }
      line.append(
          String.format(
              Locale.ROOT,
              "   chosen ratio %.1f (%d of %d)",
              c.chosenRatio(),
              c.chosenRemoved(),
              c.channels()));
      System.out.println(line);
    }
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
