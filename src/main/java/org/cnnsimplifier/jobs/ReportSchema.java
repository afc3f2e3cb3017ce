package org.cnnsimplifier.jobs;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;

/**
 * The job report's shape, for the OpenAPI document only: the report itself is the engine's {@code
 * SimplificationReport} as JSON, plus the export formats.
 */
@Schema(
    name = "JobReport",
    description =
        "What a job did. Every accuracy figure names the split it was measured on and its image"
            + " count. Selection (criterion scores, maxAccuracyDrop, ABLATION) and the per-step"
            + " figures use the validation split; the headline comes from the test split (the data"
            + " set's own, or 'held-out': a slice of its training images held out at upload),"
            + " which no choice of the job looks at.")
record ReportSchema(
    @Schema(description = "The original model: params, FLOPs per image, validation figures")
        FiguresSchema original,
    @Schema(description = "The simplified model: params, FLOPs per image, validation figures")
        FiguresSchema simplified,
    @Schema(description = "Every step: kernels removed from a layer, then retraining")
        List<StepSchema> steps,
    @Schema(description = "Wall time of the run") double seconds,
    @Schema(description = "Test-split figures before and after; null without a test split")
        TestSchema test,
    HeadlineSchema headline,
    @Schema(description = "Which split, and how many of its images, each kind of figure used")
        List<SplitUseSchema> splits,
    @Schema(
            description =
                "Measured inference latency and throughput of the original and simplified model"
                    + " beside their FLOPs; null when not measured")
        org.cnnsimplifier.engine.report.SpeedComparison speed,
    @Schema(description = "How the retraining budget was divided, decided when the job started")
        BudgetSchema budget,
    @Schema(description = "Batches trained in total: the sum of the steps' batches")
        long batchesTrained,
    @Schema(description = "Formats the simplified model can be downloaded in")
        List<String> exportFormats,
    @Schema(description = "Why it cannot be downloaded in the other formats")
        Map<String, String> exportUnavailable) {

  static final String EXAMPLE =
      """
      {"original":{"params":431080,"flops":4587000,
        "validation":{"accuracy":0.912,"loss":0.25,"images":6000,"split":"validation"}},
       "simplified":{"params":215540,"flops":2301000,
        "validation":{"accuracy":0.905,"loss":0.27,"images":6000,"split":"validation"}},
       "steps":[{"layer":"conv1","step":1,"kernelsBefore":32,"kernelsAfter":16,
        "removedKernels":[0,3],"decidedBy":"L1, ratio 0.5","paramsBefore":431080,
        "paramsAfter":323000,"flopsBefore":4587000,"flopsAfter":3400000,
        "afterElimination":{"accuracy":0.81,"loss":0.6,"images":6000,"split":"validation"},
        "afterRetraining":{"accuracy":0.907,"loss":0.26,"images":6000,"split":"validation"},
        "seconds":41.2,"batches":844,"plannedBatches":844}],
       "seconds":83.0,
       "test":{"original":{"accuracy":0.9087,"loss":0.26,"images":10000,"split":"test"},
        "simplified":{"accuracy":0.9011,"loss":0.28,"images":10000,"split":"test"}},
       "headline":{"split":"test",
        "original":{"accuracy":0.9087,"loss":0.26,"images":10000,"split":"test"},
        "simplified":{"accuracy":0.9011,"loss":0.28,"images":10000,"split":"test"},
        "independentOfSelection":true},
       "splits":[{"split":"validation","images":6000,"use":
        "validation figures of the original and simplified model and of every step"},
        {"split":"test","images":10000,"use":"headline: accuracy of the original and simplified\
       model; never trained, scored or selected on"}],
       "budget":{"budgetBatches":1688,"batchesPerEpoch":844,"split":"EVEN",
        "layerBatches":[844,844],"batchesPerStage":null,"fineTuneBatches":0},
       "batchesTrained":1688,
       "exportFormats":["dl4j"],"exportUnavailable":{}}
      """;

  @Schema(name = "Metrics", description = "Accuracy and loss on one split")
  record MetricsSchema(
      @Schema(description = "Share of images classified right, 0..1") double accuracy,
      @Schema(description = "Mean cross-entropy loss") double loss,
      @Schema(description = "Images the figures were measured on") long images,
      @Schema(
              description =
                  "The split: validation, test, or held-out (test images held out of train at"
                      + " upload); null in reports made before splits were named",
              allowableValues = {"validation", "test", "held-out"})
          String split) {}

  @Schema(name = "ModelFigures")
  record FiguresSchema(long params, long flops, MetricsSchema validation) {}

  @Schema(name = "TestFigures")
  record TestSchema(MetricsSchema original, MetricsSchema simplified) {}

  @Schema(
      name = "Headline",
      description =
          "The accuracy to quote: test (or held-out) before and after; validation when the data"
              + " set has no test split and nothing was held out (independentOfSelection false)")
  record HeadlineSchema(
      @Schema(allowableValues = {"test", "held-out", "validation"}) String split,
      MetricsSchema original,
      MetricsSchema simplified,
      @Schema(description = "Whether no choice of the job looked at this split")
          boolean independentOfSelection) {}

  @Schema(name = "SplitUse", description = "One use of a split in the job")
  record SplitUseSchema(
      @Schema(allowableValues = {"validation", "test", "held-out"}) String split,
      @Schema(description = "Images of the split used") long images,
      @Schema(description = "What for: validation figures, selection by a criterion, headline")
          String use) {}

  @Schema(name = "Step")
  record StepSchema(
      String layer,
      int step,
      int kernelsBefore,
      int kernelsAfter,
      List<Integer> removedKernels,
      String decidedBy,
      long paramsBefore,
      long paramsAfter,
      long flopsBefore,
      long flopsAfter,
      @Schema(description = "Validation figures right after elimination")
          MetricsSchema afterElimination,
      @Schema(description = "Validation figures after retraining; null without retraining")
          MetricsSchema afterRetraining,
      double seconds,
      @Schema(description = "Batches the step's retraining trained") long batches,
      @Schema(
              description =
                  "Batches its share of the budget planned (more than batches when early stopping"
                      + " ended it)")
          long plannedBatches) {}

  @Schema(
      name = "TrainingBudget",
      description =
          "How a job's retraining is divided: the fine-tune share first (ONE_SHOT: all of it), the"
              + " rest among the layers by split, an ITERATIVE_FULL layer's share evenly among its"
              + " steps")
  record BudgetSchema(
      @Schema(description = "The total budget in batches; null with the deprecated epochs")
          Long budgetBatches,
      @Schema(description = "Batches in one epoch (capped by maxBatchesPerEpoch)")
          long batchesPerEpoch,
      @Schema(allowableValues = {"EVEN", "PARAMS", "FLOPS"}) String split,
      @Schema(description = "Batches planned for each layer, in the job's order")
          List<Long> layerBatches,
      @Schema(description = "Deprecated epochs only: batches of every stage; else null")
          Long batchesPerStage,
      @Schema(description = "Batches of the final whole-model fine-tune (ONE_SHOT's only one)")
          long fineTuneBatches) {}
}
