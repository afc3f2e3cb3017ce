package org.cnnsimplifier.jobs;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cnnsimplifier.engine.criteria.Criterion;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.plan.Strategy;

/**
 * What a simplification job should do: the request body of {@code POST /api/v1/jobs}, stored with
 * the job. Defaults make the smallest useful request {@code {"modelId":…, "datasetId":…,
 * "criterion":"L1", "policy":{"type":"ratio","ratio":0.5}}}.
 */
@Schema(
    description = "A simplification job",
    example =
        """
        {"modelId":"7b0c7a1e-2c2b-4a55-9d52-0b0e6f7d9a10","datasetId":"0f6c2a64-3b0c-4f3e-9a53-6c7e2b7d1c22",
         "layers":["layer0","layer2"],"criterion":"L1","strategy":"PROGRESSIVE",
         "policy":{"type":"ratio","ratio":0.5},
         "retraining":{"budget":{"epochs":2},"batchSize":64,"learningRate":0.001},"seed":42,
         "priority":0}""")
public record JobSpec(
    @NotNull @Schema(description = "An uploaded model") UUID modelId,
    @NotNull @Schema(description = "An uploaded data set") UUID datasetId,
    @Schema(description = "Convolution layers to simplify, in order; empty: every prunable layer")
        List<String> layers,
    @Schema(
            description =
                "Relevance criterion: L1, L2, APOZ, MEAN_ACTIVATION, TAYLOR, HRANK, ABLATION, or"
                    + " SUBJECTIVE (a person chooses in each layer; suggestionCriterion and the"
                    + " policy make the suggestion); optional with a manual policy")
        String criterion,
    @Schema(
            description =
                "PROGRESSIVE (the default, the paper's: layer by layer, each followed by"
                    + " retraining up to the next layer with the later ones frozen; with the"
                    + " default retraining it was the most accurate at equal budget in the strategy"
                    + " comparison), ONE_SHOT (every layer's kernels removed, then one fine-tune"
                    + " of the whole model; the fastest) or ITERATIVE_FULL")
        Strategy strategy,
    @NotNull @Valid PolicySpec policy,
    @Valid RetrainingSpec retraining,
    @Schema(description = "Seeds data order, dropout and every random choice") Long seed,
    @Min(1) @Max(10_000) @Schema(description = "Images data-driven criteria score on (512)")
        Integer scoringImages,
    @Min(1) @Max(4096) @Schema(description = "Kernels per step with ITERATIVE_FULL (4)")
        Integer iterativeStep,
    @Min(-1000) @Max(1000) @Schema(description = "Higher runs first (0)") Integer priority,
    @Min(1)
        @Max(20)
        @Schema(description = "Attempts before the job fails (cnn.workers.max-attempts, 3)")
        Integer maxAttempts,
    @DecimalMin("0.0")
        @DecimalMax("0.9")
        @Schema(
            description =
                "Leave out. The validation split is fixed when the data set is uploaded"
                    + " (validationFraction, testFraction and seed of POST /api/v1/datasets) and"
                    + " every job uses it; a value here is accepted only if it equals the data"
                    + " set's validationFraction, any other is refused with 400")
        Double validationFraction,
    @Schema(description = "Resize and convert gray/RGB images to the model's input") Boolean adapt,
    @Schema(description = "Stop at every layer for a person's choice (implied by SUBJECTIVE)")
        Boolean review,
    @Schema(description = "Criterion of the suggestion shown when reviewing (L1)")
        Criterion suggestionCriterion,
    @Min(1) @Max(16) @Schema(description = "Sample images per class on the review page (3)")
        Integer reviewSamplesPerClass,
    @Schema(description = "How long a layer may wait for a choice, ISO-8601 (e.g. PT2H); none")
        java.time.Duration reviewTimeout,
    @Schema(
            description = "After the timeout: WAIT (default) or APPLY_SUGGESTION",
            allowableValues = {"WAIT", "APPLY_SUGGESTION"})
        String onReviewTimeout,
    @Schema(
            description = "Choices made so far, by layer; set by the service",
            accessMode = Schema.AccessMode.READ_ONLY)
        Map<String, Selection> selections) {

  public JobSpec {
    layers = layers == null ? List.of() : List.copyOf(layers);
    retraining = retraining == null ? RetrainingSpec.DEFAULT : retraining;
    seed = seed == null ? 42L : seed;
    scoringImages = scoringImages == null ? 512 : scoringImages;
    iterativeStep = iterativeStep == null ? 4 : iterativeStep;
    priority = priority == null ? 0 : priority;
    adapt = adapt != null && adapt;
    review = "SUBJECTIVE".equals(criterion) || (review != null && review);
    // The strategy that won at equal budget with the default retraining (the strategy comparison
    // benchmark); a person choosing in every layer then does so on a model retrained after the
    // layer before, as the paper does.
    strategy = strategy == null ? Strategy.PROGRESSIVE : strategy;
    suggestionCriterion = suggestionCriterion == null ? Criterion.L1 : suggestionCriterion;
    reviewSamplesPerClass = reviewSamplesPerClass == null ? 3 : reviewSamplesPerClass;
    onReviewTimeout = onReviewTimeout == null ? "WAIT" : onReviewTimeout;
    selections = selections == null ? Map.of() : Map.copyOf(selections);
  }

  /** The same spec with the attempts given, when it had none. */
  public JobSpec withDefaultAttempts(int attempts) {
    return maxAttempts != null ? this : with(attempts, selections);
  }

  /** The same spec with one more layer's choice. */
  public JobSpec withSelection(String layer, Selection selection) {
    Map<String, Selection> more = new java.util.LinkedHashMap<>(selections);
    more.put(layer, selection);
    return with(maxAttempts, more);
  }

  /** The same spec with no choices (what a client may not set). */
  public JobSpec withoutSelections() {
    return with(maxAttempts, Map.of());
  }

  private JobSpec with(Integer attempts, Map<String, Selection> choices) {
    return new JobSpec(
        modelId,
        datasetId,
        layers,
        criterion,
        strategy,
        policy,
        retraining,
        seed,
        scoringImages,
        iterativeStep,
        priority,
        attempts,
        validationFraction,
        adapt,
        review,
        suggestionCriterion,
        reviewSamplesPerClass,
        reviewTimeout,
        onReviewTimeout,
        choices);
  }

  /**
   * A layer's choice.
   *
   * @param kernels original indices of the kernels removed
   * @param decidedBy who chose: "person (owner)" or "suggestion (…)"
   */
  public record Selection(List<Integer> kernels, String decidedBy) {
    public Selection {
      kernels = List.copyOf(kernels);
    }
  }

  /**
   * Which kernels go. {@code type} is {@code ratio} (with {@code ratio} and optional {@code
   * perLayer}), {@code threshold}, {@code maxAccuracyDrop} (with {@code maxDrop}), {@code manual}
   * (with {@code kernels}: layer to kernel indices) or {@code target} (with {@code params}, {@code
   * flops} and/or {@code latencyMs} and {@code batchSize}: what to keep; the service finds
   * per-layer ratios by sensitivity analysis).
   */
  @Schema(
      description =
          "Which kernels go. A target policy ({\"type\":\"target\",\"params\":0.25}) prunes each"
              + " simplified layer alone at ratios 0.1…0.9 by the job's criterion, measures"
              + " validation accuracy without retraining on a subset (images), chooses per-layer"
              + " ratios that keep at most the shares asked with the least predicted accuracy"
              + " loss, then runs the strategy with them; the report's target section has the"
              + " curves, the ratios, and the predicted and achieved parameters and FLOPs",
      example = "{\"type\":\"ratio\",\"ratio\":0.5,\"perLayer\":{\"conv2\":0.25}}")
  public record PolicySpec(
      @NotNull
          @Schema(
              description = "The policy; each uses the fields named in theirs",
              allowableValues = {"ratio", "threshold", "maxAccuracyDrop", "manual", "target"})
          String type,
      @Schema(
              description =
                  "ratio: share of each layer's kernels to remove, in [0, 1) (0.5 removes half)",
              example = "0.5")
          Double ratio,
      @Schema(
              description =
                  "ratio: per-layer shares overriding ratio, by layer name; layers must be"
                      + " simplified by the job",
              example = "{\"conv2\":0.25}")
          Map<String, Double> perLayer,
      @Schema(
              description =
                  "threshold: remove the kernels whose score divided by the layer's largest"
                      + " absolute score is below this value, in [0, 1]",
              example = "0.2")
          Double threshold,
      @Schema(
              description =
                  "maxAccuracyDrop: remove kernels in score order while validation accuracy"
                      + " before retraining stays within this absolute drop (0.02 = two points)"
                      + " of the layer's starting accuracy, in [0, 1]",
              example = "0.01")
          Double maxDrop,
      @Schema(
              description =
                  "manual: the kernels to remove, by layer name, as kernel indices (at least one"
                      + " must stay in each layer)",
              example = "{\"conv1\":[0,3]}")
          Map<String, List<Integer>> kernels,
      @Schema(
              description =
                  "target: share of the model's parameters to keep, in (0, 1] (0.25 keeps a"
                      + " quarter); with flops, both are met",
              example = "0.25")
          Double params,
      @Schema(
              description = "target: share of the model's FLOPs per image to keep, in (0, 1]",
              example = "0.25")
          Double flops,
      @Schema(
              description =
                  "target: forward-pass time to reach on the worker, in milliseconds, for a batch"
                      + " of batchSize images; predicted by a time-per-FLOP fit calibrated on the"
                      + " worker",
              example = "5")
          Double latencyMs,
      @Min(1)
          @Max(65_536)
          @Schema(description = "target: the batch latencyMs is for (1)", example = "64")
          Integer batchSize,
      @Min(1)
          @Max(100_000)
          @Schema(
              description =
                  "target: validation images the sensitivity analysis evaluates on, a subset"
                      + " drawn with the job's seed (1000)",
              example = "1000")
          Integer images) {

    /** A policy without target fields. */
    public PolicySpec(
        String type,
        Double ratio,
        Map<String, Double> perLayer,
        Double threshold,
        Double maxDrop,
        Map<String, List<Integer>> kernels) {
      this(type, ratio, perLayer, threshold, maxDrop, kernels, null, null, null, null, null);
    }
  }

  /**
   * How retraining runs. {@code budget} is the run's total retraining, spent in full by every
   * strategy and divided among its stages by {@code split} (and {@code fineTuneShare}); without it,
   * the deprecated {@code epochs} trains that many epochs in every stage (a budget of epochs ×
   * stages, split evenly).
   */
  @Schema(
      description =
          "How retraining runs. budget is the total retraining of the job (2 epochs when neither"
              + " budget nor epochs is given), spent in full by every strategy: ONE_SHOT spends"
              + " it in its fine-tune; PROGRESSIVE and ITERATIVE_FULL give fineTuneShare of it"
              + " to a final whole-model fine-tune and divide the rest among the layers by split"
              + " (an ITERATIVE_FULL layer's share evenly among its steps). Without budget, the"
              + " deprecated epochs trains that many epochs in every stage (each PROGRESSIVE"
              + " layer, each ITERATIVE_FULL step, the ONE_SHOT fine-tune). The defaults are the"
              + " settings the strategy comparison benchmark chose, the same for every strategy:"
              + " cosine schedule, a quarter of the budget for the final fine-tune, optimiser"
              + " state carried across stages, distillation from the original model. The report"
              + " and every step state the batches trained.",
      example =
          """
          {"budget":{"epochs":2},"batchSize":64,"learningRate":0.001,"optimizer":"ADAM",
           "schedule":"COSINE","warmupBatches":50,"split":"FLOPS","fineTuneShare":0.25,
           "carryOptimizerState":true,"distillation":{"alpha":0.5,"temperature":4},
           "augmentation":{"padding":2,"flip":true},
           "earlyStopping":{"patience":3,"everyBatches":200}}""")
  public record RetrainingSpec(
      @Min(0)
          @Max(1000)
          @Schema(
              description =
                  "Deprecated, use budget: epochs in every stage (1; 0: no retraining). Not"
                      + " together with budget",
              deprecated = true)
          Integer epochs,
      @Min(1) @Max(65_536) @Schema(description = "Images per batch (64)") Integer batchSize,
      @DecimalMin(value = "0.0", inclusive = false)
          @DecimalMax("1.0")
          @Schema(description = "The optimiser's (peak) learning rate (0.001)")
          Double learningRate,
      @Min(0) @Schema(description = "Batches per epoch at most; 0: the whole training split")
          Integer maxBatchesPerEpoch,
      @Valid
          @Schema(
              description =
                  "Total retraining of the job: {\"epochs\":2} (the default; may be fractional;"
                      + " an epoch is the training split in batches, capped by"
                      + " maxBatchesPerEpoch) or {\"batches\":1688}")
          BudgetSpec budget,
      @Schema(
              description =
                  "ADAM (default; weightDecay as L2 regularisation), ADAMW (decoupled weight"
                      + " decay) or SGD (with momentum: Nesterov momentum)",
              allowableValues = {"ADAM", "ADAMW", "SGD"})
          String optimizer,
      @DecimalMin("0.0")
          @DecimalMax(value = "1.0", inclusive = false)
          @Schema(description = "Weight decay of the weights, not the biases (0)")
          Double weightDecay,
      @DecimalMin("0.0")
          @DecimalMax(value = "1.0", inclusive = false)
          @Schema(description = "SGD only: Nesterov momentum (0: plain SGD)")
          Double momentum,
      @Schema(
              description =
                  "Learning rate within each stage: COSINE (default; decays to 0 at the stage's"
                      + " last batch) or CONSTANT; both after warmupBatches of linear warm-up",
              allowableValues = {"CONSTANT", "COSINE"})
          String schedule,
      @Min(0) @Schema(description = "Batches of linear warm-up at the start of each stage (0)")
          Integer warmupBatches,
      @Schema(
              description =
                  "How the budget is divided among the layers: EVEN (default), PARAMS or FLOPS (in"
                      + " proportion to the parameters or FLOPs each layer's elimination removes"
                      + " from the original model); PARAMS and FLOPS need budget",
              allowableValues = {"EVEN", "PARAMS", "FLOPS"})
          String split,
      @DecimalMin("0.0")
          @DecimalMax(value = "1.0", inclusive = false)
          @Schema(
              description =
                  "PROGRESSIVE, ITERATIVE_FULL: share of the budget for a final fine-tune of the"
                      + " whole model (0.25 with a budget; 0, the only value, with the deprecated"
                      + " epochs)")
          Double fineTuneShare,
      @Schema(
              description =
                  "PROGRESSIVE, ITERATIVE_FULL: one optimiser whose state (Adam's moments) carries"
                      + " from stage to stage for the kernels that stay (true, the default; false:"
                      + " fresh state at every stage)")
          Boolean carryOptimizerState,
      @Valid
          @Schema(
              description =
                  "Knowledge distillation from the original model during retraining. When absent:"
                      + " alpha 0.5, T 4 for a model whose output is a softmax, off for another"
                      + " output. {\"alpha\":0} turns it off")
          DistillationSpec distillation,
      @Valid @Schema(description = "Light augmentation of training images; off when absent")
          AugmentationSpec augmentation,
      @Valid @Schema(description = "Early stopping on validation accuracy; off when absent")
          EarlyStoppingSpec earlyStopping,
      @Min(0)
          @Schema(
              description =
                  "During a whole-model fine-tune (ONE_SHOT's, or the final one), a checkpoint every"
                      + " this many batches, so a handed-back job resumes there (500; 0: only at"
                      + " its start)")
          Integer checkpointEveryBatches) {
    /**
     * What a field left out gets: the settings the strategy comparison chose (declared before
     * DEFAULT, which is built from it).
     */
    private static final Retraining RECOMMENDED = Retraining.recommended();

    static final RetrainingSpec DEFAULT =
        new RetrainingSpec(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null);

    public RetrainingSpec {
      Retraining r = RECOMMENDED;
      batchSize = batchSize == null ? r.batchSize() : batchSize;
      learningRate = learningRate == null ? r.learningRate() : learningRate;
      maxBatchesPerEpoch = maxBatchesPerEpoch == null ? r.maxBatchesPerEpoch() : maxBatchesPerEpoch;
      optimizer = optimizer == null ? r.optimizer().kind().name() : optimizer;
      weightDecay = weightDecay == null ? r.optimizer().weightDecay() : weightDecay;
      momentum = momentum == null ? r.optimizer().momentum() : momentum;
      schedule = schedule == null ? r.schedule().shape().name() : schedule;
      warmupBatches = warmupBatches == null ? r.schedule().warmupBatches() : warmupBatches;
      // The final fine-tune share needs a budget, so the deprecated per-stage epochs keep 0.
      budget = budget == null && epochs == null ? BudgetSpec.of(r.budget()) : budget;
      split = split == null ? r.split().name() : split;
      fineTuneShare =
          fineTuneShare == null ? (budget == null ? 0.0 : r.fineTuneShare()) : fineTuneShare;
      carryOptimizerState =
          carryOptimizerState == null ? r.carryOptimizerState() : carryOptimizerState;
      checkpointEveryBatches =
          checkpointEveryBatches == null ? r.checkpointEveryBatches() : checkpointEveryBatches;
    }

    /** The settings of the legacy four fields. */
    public RetrainingSpec(
        Integer epochs, Integer batchSize, Double learningRate, Integer maxBatchesPerEpoch) {
      this(
          epochs,
          batchSize,
          learningRate,
          maxBatchesPerEpoch,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          null);
    }
  }

  /** A total budget: epochs or batches, one of them. */
  @Schema(description = "A total budget: epochs (may be fractional) or batches, one of them")
  public record BudgetSpec(
      @DecimalMin("0.0") @DecimalMax("10000.0") @Schema(example = "2") Double epochs,
      @Min(0) @Max(100_000_000) @Schema(example = "1688") Long batches) {
    static BudgetSpec of(Retraining.Budget budget) {
      return budget.unit() == Retraining.Budget.Unit.EPOCHS
          ? new BudgetSpec(budget.amount(), null)
          : new BudgetSpec(null, (long) budget.amount());
    }
  }

  /** Distillation settings. */
  @Schema(
      description =
          "Loss (1−alpha)·CE(labels) + alpha·T²·KL(softmax(teacher/T) ‖ softmax(student/T)) on the"
              + " logits, the teacher being the original model on the same batches")
  public record DistillationSpec(
      @DecimalMin("0.0") @DecimalMax("1.0") @Schema(description = "Weight alpha (0.5)")
          Double alpha,
      @DecimalMin(value = "0.0", inclusive = false)
          @DecimalMax("100.0")
          @Schema(description = "Temperature T (4)")
          Double temperature) {
    public DistillationSpec {
      alpha = alpha == null ? 0.5 : alpha;
      temperature = temperature == null ? 4.0 : temperature;
    }
  }

  /** Augmentation settings. */
  @Schema(
      description =
          "Seeded: each training image shifted by up to padding pixels each way (a random crop of"
              + " the zero-padded image) and, with flip, mirrored left to right half the time")
  public record AugmentationSpec(
      @Min(0) @Max(64) @Schema(description = "Pixels of padding for the random crop (4)")
          Integer padding,
      @Schema(description = "Random horizontal flip (true)") Boolean flip) {
    public AugmentationSpec {
      padding = padding == null ? 4 : padding;
      flip = flip == null || flip;
    }
  }

  /** Early stopping settings. */
  @Schema(
      description =
          "Validation accuracy is measured at each stage's start and every everyBatches batches;"
              + " after patience measurements without improvement the stage stops, and the best"
              + " measured parameters are restored")
  public record EarlyStoppingSpec(
      @Min(1) @Max(10_000) @Schema(description = "Measurements without improvement (3)")
          Integer patience,
      @Min(1) @Schema(description = "Batches between measurements (200)") Integer everyBatches) {
    public EarlyStoppingSpec {
      patience = patience == null ? 3 : patience;
      everyBatches = everyBatches == null ? 200 : everyBatches;
    }
  }
}
