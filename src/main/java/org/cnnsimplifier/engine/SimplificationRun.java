package org.cnnsimplifier.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.KernelSelection;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.report.Figures;
import org.cnnsimplifier.engine.report.Metrics;
import org.cnnsimplifier.engine.report.SimplificationReport;
import org.cnnsimplifier.engine.report.StepEvent;
import org.cnnsimplifier.engine.report.TargetReport;
import org.cnnsimplifier.engine.report.TrainingBudget;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.retrain.Evaluator;
import org.cnnsimplifier.engine.retrain.OptimizerState;
import org.cnnsimplifier.engine.retrain.StageProgress;
import org.cnnsimplifier.engine.retrain.Trainer;
import org.cnnsimplifier.engine.retrain.TrainingData;
import org.cnnsimplifier.engine.surgery.ChannelGraph;
import org.cnnsimplifier.engine.surgery.KernelSurgery;
import org.cnnsimplifier.engine.surgery.PruningGroup;
import org.cnnsimplifier.engine.target.TargetPlanner;

/** The mutable state of one simplification and its steps; see {@link Simplifier}. */
final class SimplificationRun {
  /** Separates the seeds of layers and steps so each is independent of the ones before. */
  private static final long LAYER_SEED_STRIDE = 1_000_003L;

  /** How reports name the validation split. */
  static final String VALIDATION = "validation";

  private final TrainingData data;
  private final SimplificationPlan plan;
  private final ProgressListener listener;
  private final Cancellation cancel;
  private final Figures original;
  private final Metrics originalTest;
  private final List<StepEvent> steps;
  private final KernelLedger ledger;
  private final PolicyChoice policyChoice;
  private final Map<String, String> decidedBy = new LinkedHashMap<>();
  private final CnnModel teacher;
  private final Trainer.Session session;
  private final TrainingBudget budget;
  private StageProgress fineTuneProgress;
  private java.util.function.DoubleSupplier clock = () -> 0;
  private KernelReview review = KernelReview.NONE;
  private TargetReport target;
  private SurgeryCheck check;
  private int totalLayers;
  private CnnModel model;

  private SimplificationRun(
      CnnModel model,
      TrainingData data,
      SimplificationPlan plan,
      ProgressListener listener,
      Cancellation cancel,
      Figures original,
      Metrics originalTest,
      List<StepEvent> steps,
      Map<String, List<Integer>> remaining,
      CnnModel teacher,
      OptimizerState optimizer,
      TrainingBudget budget,
      List<String> layers) {
    this.model = model;
    this.data = data;
    this.plan = plan;
    this.listener = listener;
    this.cancel = cancel;
    this.original = original;
    this.originalTest = originalTest;
    this.steps = new ArrayList<>(steps);
    this.ledger = new KernelLedger(remaining);
    this.policyChoice = new PolicyChoice(plan, data, cancel, ledger);
    this.teacher = teacher;
    this.session = new Trainer.Session(data, plan.retraining(), teacher, optimizer);
    this.budget =
        budget != null
            ? budget
            : BudgetAllocation.of(model, plan, layers, batchesPerEpoch(plan, session));
  }

  /** Batches per epoch, counted only when some retraining needs them. */
  private static long batchesPerEpoch(SimplificationPlan plan, Trainer.Session session) {
    Retraining r = plan.retraining();
    boolean needed =
        r.budget() == null ? r.epochs() > 0 : r.budget().unit() == Retraining.Budget.Unit.EPOCHS;
    return needed ? session.batchesPerEpoch() : 0;
  }

  static SimplificationRun start(
      CnnModel model,
      TrainingData data,
      SimplificationPlan plan,
      ProgressListener listener,
      Cancellation cancel,
      List<String> layers) {
    Figures original = costs(model).with(validate(model, data, plan, cancel));
    Metrics test = test(model, data, plan, cancel);
    CnnModel teacher = plan.retraining().distillation() == null ? null : model.copy();
    return new SimplificationRun(
        model, data, plan, listener, cancel, original, test, List.of(), Map.of(), teacher, null,
        null, layers);
  }

  static SimplificationRun resume(
      Checkpoint checkpoint,
      TrainingData data,
      SimplificationPlan plan,
      ProgressListener listener,
      Cancellation cancel,
      List<String> layers) {
    if (plan.retraining().distillation() != null && checkpoint.teacher() == null) {
      throw new InvalidPlanException(
          "this checkpoint has no teacher model: it cannot resume a plan that distils");
    }
    SimplificationRun run =
        new SimplificationRun(
            checkpoint.model().copy(),
            data,
            plan,
            listener,
            cancel,
            checkpoint.original(),
            checkpoint.originalTest(),
            checkpoint.steps(),
            checkpoint.remainingKernels(),
            checkpoint.teacher(),
            checkpoint.optimizer(),
            checkpoint.budget(),
            layers);
    run.fineTuneProgress = checkpoint.fineTune();
    return run;
  }

  /** Where checkpoints get the run's wall time from. */
  SimplificationRun timedBy(java.util.function.DoubleSupplier seconds) {
    this.clock = seconds;
    return this;
  }

  /** Frees what the retraining holds. */
  void close() {
    session.close();
  }

  SimplificationPlan plan() {
    return plan;
  }

  /** Who decides which kernels go, and over how many layers. */
  SimplificationRun reviewedBy(KernelReview review, int totalLayers) {
    this.review = review;
    this.totalLayers = totalLayers;
    return this;
  }

  /** The target policy's allocation this run carries out, or null. */
  SimplificationRun aimingAt(TargetReport newTarget) {
    this.target = newTarget;
    return this;
  }

  ProgressListener listener() {
    return listener;
  }

  CnnModel model() {
    return model;
  }

  /** PROGRESSIVE: eliminate from the layer, then train up to its next reader, later frozen. */
  void progressiveLayer(String layer, int index) {
    long start = System.nanoTime();
    long seed = layerSeed(index);
    int[] chosen = choose(layer, index, model, seed);
    Eliminated eliminated = eliminate(layer, chosen);
    String last = lastConsumer(eliminated.before, layer);
    eliminated.release(model);
    long planned = budget.stage(index, 0, 1);
    Trainer.Outcome outcome =
        session.train(model, last, planned, seed, cancel, observer(layer, false, 0), null);
    check().retrained(model, "after retraining '" + layer + "'");
    emit(eliminated, planned > 0 ? validate() : null, start, outcome.batches(), planned);
  }

  /** ITERATIVE_FULL: remove a step of kernels, retrain the whole model, until the target. */
  void iterativeLayer(String layer, int index) {
    int[] target = choose(layer, index, model, layerSeed(index));
    List<Integer> targetOriginal = new ArrayList<>();
    for (int k : target) {
      targetOriginal.add(ledger.remaining(layer, model).get(k));
    }
    int stepsOfLayer = (targetOriginal.size() + plan.iterativeStep() - 1) / plan.iterativeStep();
    for (int step = 0; !targetOriginal.isEmpty(); step++) {
      long start = System.nanoTime();
      long seed = layerSeed(index) + step + 1;
      int count = Math.min(plan.iterativeStep(), targetOriginal.size());
      int[] now;
      if (plan.policy() instanceof EliminationPolicy.Manual) {
        now = ledger.currentIndices(layer, model, targetOriginal.subList(0, count));
      } else {
        // Rescore after every step; only kernels of the target compete.
        double[] scores = policyChoice.scores(model, layer, seed);
        int[] candidates = ledger.currentIndices(layer, model, targetOriginal);
        now =
            Arrays.stream(KernelSelection.eliminationOrder(scores))
                .filter(k -> Arrays.stream(candidates).anyMatch(c -> c == k))
                .limit(count)
                .sorted()
                .toArray();
      }
      for (int k : now) {
        targetOriginal.remove(ledger.remaining(layer, model).get(k));
      }
      Eliminated eliminated = eliminate(layer, now);
      eliminated.release(model);
      long planned = budget.stage(index, step, stepsOfLayer);
      Trainer.Outcome outcome =
          session.train(model, null, planned, seed, cancel, observer(layer, false, 0), null);
      check().retrained(model, "after retraining '" + layer + "'");
      emit(eliminated, planned > 0 ? validate() : null, start, outcome.batches(), planned);
    }
  }

  /**
   * ONE_SHOT: choose in every layer on the original model, remove all, checkpoint, fine-tune once
   * (checkpointing as it goes). Resumed past the eliminations, only the fine-tune goes on.
   */
  void oneShot(List<String> layers, int layersDone) {
    if (layersDone < layers.size()) {
      CnnModel scored = model.copy();
      Map<String, int[]> chosen = new LinkedHashMap<>();
      for (int i = 0; i < layers.size(); i++) {
        chosen.put(layers.get(i), choose(layers.get(i), i, scored, layerSeed(i)));
      }
      scored.close();
      for (int i = 0; i < layers.size(); i++) {
        listener.onLayerStarted(layers.get(i), i, layers.size());
        long start = System.nanoTime();
        Eliminated eliminated = eliminate(layers.get(i), chosen.get(layers.get(i)));
        eliminated.release(model);
        emit(eliminated, null, start, 0, 0);
      }
      checkpoint(layers.size(), null);
    }
    fineTune(layers.size(), layerSeed(layers.size()));
  }

  /** The final whole-model fine-tune of PROGRESSIVE and ITERATIVE_FULL, when the budget has one. */
  void finalFineTune(List<String> layers) {
    if (budget.fineTuneBatches() > 0) {
      fineTune(layers.size(), layerSeed(layers.size() + 1));
    }
  }

  private void fineTune(int layers, long seed) {
    long start = System.nanoTime();
    // Measured at the end of the last step: the model the fine-tune starts from.
    Metrics before = finalValidation();
    long planned = budget.fineTuneBatches();
    StageProgress resume = fineTuneProgress;
    fineTuneProgress = null;
    Trainer.Outcome outcome =
        session.train(model, null, planned, seed, cancel, observer("*", true, layers), resume);
    check().retrained(model, "after the fine-tune");
    Figures costs = costs(model);
    StepEvent fineTune =
        new StepEvent(
            "*",
            steps.size() + 1,
            0,
            0,
            List.of(),
            "fine-tune",
            costs.params(),
            costs.params(),
            costs.flops(),
            costs.flops(),
            before,
            planned > 0 ? validate() : before,
            seconds(start),
            outcome.batches(),
            planned);
    steps.add(fineTune);
    listener.onStep(fineTune);
  }

  /** The batches the whole run plans, or 0 when not known in advance. */
  private long runPlanned() {
    if (budget.budgetBatches() != null) {
      return budget.budgetBatches();
    }
    return switch (plan.strategy()) {
      case PROGRESSIVE -> budget.batchesPerStage() * totalLayers;
      case ONE_SHOT -> budget.batchesPerStage();
      case ITERATIVE_FULL -> 0;
    };
  }

  /** Passes training progress on; in a fine-tune, checkpoints its middle. */
  private Trainer.Observer observer(String layer, boolean checkpoints, int layersDone) {
    // The model is written only when the stage ends: until then it is the stage's start.
    CnnModel stageModel = model;
    return new Trainer.Observer() {
      @Override
      public void onBatches(long done, long planned) {
        long before = steps.stream().mapToLong(StepEvent::batches).sum();
        listener.onTraining(layer, done, planned, before + done, runPlanned());
      }

      @Override
      public boolean wantsProgress() {
        return checkpoints;
      }

      @Override
      public void onProgress(StageProgress progress) {
        checkpoint(layersDone, stageModel, progress);
      }
    };
  }

  void checkpoint(int layersDone, StageProgress progress) {
    checkpoint(layersDone, model, progress);
  }

  /** Hands the listener a checkpoint around a copy of {@code of}, closed when the call returns. */
  private void checkpoint(int layersDone, CnnModel of, StageProgress progress) {
    CnnModel copy = of.copy();
    try {
      listener.onCheckpoint(
          new Checkpoint(
              layersDone,
              copy,
              steps,
              ledger.snapshot(),
              original,
              originalTest,
              clock.getAsDouble(),
              budget,
              session.carried(),
              teacher,
              progress,
              target));
    } finally {
      copy.close();
    }
  }

  SimplificationReport report(double seconds) {
    Metrics test = test(model, data, plan, cancel);
    long trained = steps.stream().mapToLong(StepEvent::batches).sum();
    Figures simplified = costs(model).with(finalValidation());
    // Figures from a checkpoint written before reports named splits are relabelled here.
    Figures originalFigures = original.with(named(original.validation(), VALIDATION));
    Metrics testBefore = originalTest == null ? null : named(originalTest, data.testSplitName());
    SimplificationReport.Headline headline =
        testBefore != null && test != null
            ? new SimplificationReport.Headline(test.split(), testBefore, test, true)
            : new SimplificationReport.Headline(
                VALIDATION, originalFigures.validation(), simplified.validation(), false);
    return new SimplificationReport(
        originalFigures,
        simplified,
        steps,
        seconds,
        testBefore == null ? null : new SimplificationReport.Test(testBefore, test),
        headline,
        splitUses(originalFigures.validation(), test),
        null,
        budget,
        trained,
        target == null ? null : TargetPlanner.achieved(target, model));
  }

  /** Which split, and how many of its images, each kind of figure in the report came from. */
  private List<SimplificationReport.SplitUse> splitUses(Metrics validation, Metrics test) {
    List<SimplificationReport.SplitUse> uses = new ArrayList<>();
    long validationImages = validation.images();
    uses.add(
        new SimplificationReport.SplitUse(
            VALIDATION,
            validationImages,
            "validation figures of the original and simplified model and of every step (after"
                + " elimination, after retraining)"));
    boolean manual = plan.policy() instanceof EliminationPolicy.Manual;
    if (!manual && plan.criterion() != null && plan.criterion().needsData()) {
      long scored = Math.min(plan.scoringImages(), validationImages);
      uses.add(
          new SimplificationReport.SplitUse(
              VALIDATION,
              scored,
              "selection: criterion "
                  + plan.criterion()
                  + " scores kernels on the first "
                  + scored
                  + " validation images"));
    }
    if (target != null) {
      uses.add(
          new SimplificationReport.SplitUse(
              VALIDATION,
              target.images(),
              "selection: the target policy's sensitivity analysis evaluates every group pruned"
                  + " alone at each ratio on "
                  + target.images()
                  + " validation images drawn with the job's seed"));
    }
    if (plan.policy() instanceof EliminationPolicy.MaxAccuracyDrop) {
      uses.add(
          new SimplificationReport.SplitUse(
              VALIDATION,
              validationImages,
              "selection: maxAccuracyDrop measures each candidate removal's accuracy, before"
                  + " retraining"));
    }
    if (test != null) {
      uses.add(
          new SimplificationReport.SplitUse(
              test.split(),
              test.images(),
              "headline: accuracy of the original and simplified model; "
                  + ("held-out".equals(test.split()) ? "held out of the training images, " : "")
                  + "never trained, scored or selected on"));
    }
    return uses;
  }

  private static Metrics named(Metrics metrics, String split) {
    return metrics == null || metrics.split() != null ? metrics : metrics.on(split);
  }

  /**
   * The kernels to remove from the layer of {@code on}, as current indices: the policy's choice,
   * unless the review decides otherwise.
   */
  private int[] choose(String layer, int index, CnnModel on, long seed) {
    PolicyChoice.Choice suggested = policyChoice.choose(layer, on, seed);
    if (review == KernelReview.NONE) {
      return suggested.kernels();
    }
    List<Integer> alive = List.copyOf(ledger.remaining(layer, on));
    List<Integer> suggestion = Arrays.stream(suggested.kernels()).mapToObj(alive::get).toList();
    KernelReview.Request request =
        new KernelReview.Request(
            layer, index, totalLayers, on, alive, suggestion, suggested.scores());
    KernelReview.Decision decision =
        review.decide(request).orElseThrow(() -> new ReviewPendingException(request));
    if (decision.decidedBy() != null) {
      decidedBy.put(layer, decision.decidedBy());
    }
    return ledger.currentIndices(layer, on, decision.kernels());
  }

  private record Eliminated(
      String layer,
      CnnModel before,
      Figures beforeFigures,
      int kernelsBefore,
      List<Integer> removed,
      Metrics validation) {

    /** Frees the model before surgery once it is no longer the current one. */
    void release(CnnModel current) {
      if (before != current) {
        before.close();
      }
    }
  }

  private Eliminated eliminate(String layer, int[] kernels) {
    cancel.check();
    CnnModel before = model;
    Figures beforeFigures = costs(before);
    int kernelsBefore = ledger.remaining(layer, model).size();
    List<Integer> removed = ledger.originalIndices(layer, model, kernels);
    if (kernels.length > 0) {
      session.eliminated(before, layer, kernels);
      model = KernelSurgery.remove(model, layer, kernels);
      check().elimination(before, layer, kernels, model);
      ledger.removed(layer, removed);
    }
    return new Eliminated(layer, before, beforeFigures, kernelsBefore, removed, validate());
  }

  private void emit(
      Eliminated eliminated, Metrics retrained, long start, long batches, long planned) {
    Figures after = costs(model);
    StepEvent event =
        new StepEvent(
            eliminated.layer(),
            steps.size() + 1,
            eliminated.kernelsBefore(),
            ledger.remaining(eliminated.layer(), model).size(),
            eliminated.removed(),
            decidedBy.getOrDefault(eliminated.layer(), decidedBy(eliminated.layer())),
            eliminated.beforeFigures().params(),
            after.params(),
            eliminated.beforeFigures().flops(),
            after.flops(),
            eliminated.validation(),
            retrained,
            seconds(start),
            batches,
            planned);
    steps.add(event);
    listener.onStep(event);
  }

  private String decidedBy(String layer) {
    String policy = plan.policy().describe();
    if (target != null && plan.policy() instanceof EliminationPolicy.Ratio ratio) {
      policy = "target, ratio " + ratio.ratioFor(layer);
    }
    return plan.policy() instanceof EliminationPolicy.Manual
        ? policy
        : plan.criterion() + ", " + policy;
  }

  /**
   * The last layer (in the model's topological order) reading the group's channels: PROGRESSIVE
   * trains every layer up to it and keeps the rest frozen.
   */
  private static String lastConsumer(CnnModel model, String group) {
    List<String> order = model.layerNames();
    PruningGroup pruned = ChannelGraph.of(model).prunable(group);
    return pruned.consumers().stream()
        .max(java.util.Comparator.comparingInt(order::indexOf))
        .orElseThrow();
  }

  private SurgeryCheck check() {
    if (check == null) {
      check = SurgeryCheck.on(data.validation(plan.retraining().batchSize()));
    }
    return check;
  }

  private long layerSeed(int index) {
    return plan.seed() + LAYER_SEED_STRIDE * (index + 1);
  }

  private Metrics validate() {
    return validate(model, data, plan, cancel);
  }

  private static Metrics validate(
      CnnModel model, TrainingData data, SimplificationPlan plan, Cancellation cancel) {
    return Evaluator.evaluate(model, data.validation(plan.retraining().batchSize()), cancel)
        .on(VALIDATION);
  }

  /** The headline figures: on the test split, which nothing in the run selects or trains on. */
  private static Metrics test(
      CnnModel model, TrainingData data, SimplificationPlan plan, Cancellation cancel) {
    return data.test(plan.retraining().batchSize())
        .map(it -> Evaluator.evaluate(model, it, cancel).on(data.testSplitName()))
        .orElse(null);
  }

  /** The final model's validation figures: those of the last step, measured on it already. */
  private Metrics finalValidation() {
    if (steps.isEmpty()) {
      return validate();
    }
    StepEvent last = steps.get(steps.size() - 1);
    return last.afterRetraining() != null ? last.afterRetraining() : last.afterElimination();
  }

  private static Figures costs(CnnModel on) {
    ArchitectureSummary summary = ArchitectureSummary.of(on);
    return new Figures(summary.totalParams(), summary.totalFlops(), null);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
