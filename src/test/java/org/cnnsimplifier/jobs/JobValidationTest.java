package org.cnnsimplifier.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.cnnsimplifier.jobs.JobFixtures.GRAY_12;
import static org.cnnsimplifier.jobs.JobFixtures.dataset;
import static org.cnnsimplifier.jobs.JobFixtures.fittingDataset;
import static org.cnnsimplifier.jobs.JobFixtures.manual;
import static org.cnnsimplifier.jobs.JobFixtures.model;
import static org.cnnsimplifier.jobs.JobFixtures.ratio;
import static org.cnnsimplifier.jobs.JobFixtures.spec;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cnnsimplifier.catalog.StoredDataset;
import org.cnnsimplifier.catalog.StoredModel;
import org.cnnsimplifier.engine.criteria.Criterion;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.plan.Strategy;
import org.cnnsimplifier.system.ApiException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** A job's spec checked against hand-built model and data set summaries, before it is queued. */
class JobValidationTest {
  private static final UUID MODEL_ID = UUID.randomUUID();
  private static final UUID DATASET_ID = UUID.randomUUID();
  private final StoredModel model = model(MODEL_ID);
  private final StoredDataset fitting = fittingDataset(DATASET_ID);

  private Map<String, String> errors(JobSpec spec, StoredDataset dataset) {
    return JobValidation.errors(spec, JobPlans.toPlan(spec), model, dataset);
  }

  private Map<String, String> errors(JobSpec spec) {
    return errors(spec, fitting);
  }

  private static JobSpec withLayers(String... layers) {
    return spec(MODEL_ID, DATASET_ID, List.of(layers), ratio(0.5));
  }

  private static JobSpec withAdapt(boolean adapt) {
    Map<String, Object> fields = JobFixtures.fields(MODEL_ID, DATASET_ID, List.of(), ratio(0.5));
    fields.put("adapt", adapt);
    return JobFixtures.spec(fields);
  }

  @Test
  void acceptsAJobThatFitsItsModelAndDataSet() {
    assertThat(errors(withLayers("conv1", "conv2"))).isEmpty();
    assertThat(errors(withLayers())).isEmpty();
  }

  @Test
  void namesAnUnknownLayerAndListsThePrunableOnes() {
    assertThat(errors(withLayers("conv1", "conv9")))
        .containsOnlyKeys("layers[1]")
        .containsEntry("layers[1]", "no layer 'conv9'; prunable layers: [conv1, conv2]");
  }

  @Test
  void refusesALayerThatCannotBePrunedWithTheReason() {
    assertThat(errors(withLayers("dw")))
        .containsEntry(
            "layers[0]", "layer 'dw' cannot be simplified: " + JobFixtures.DEPTHWISE_REASON);
    assertThat(errors(withLayers("dense")).get("layers[0]"))
        .isEqualTo(
            "layer 'dense' cannot be simplified: only convolution layers have kernels to"
                + " eliminate");
  }

  @Test
  void refusesALayerListedTwiceAtItsSecondPlace() {
    assertThat(errors(withLayers("conv1", "conv2", "conv1")))
        .containsOnlyKeys("layers[2]")
        .containsEntry("layers[2]", "layer 'conv1' is listed twice");
  }

  @Test
  void refusesARatioForALayerTheJobDoesNotSimplify() {
    JobSpec spec = spec(MODEL_ID, DATASET_ID, List.of("conv1"), ratio(0.5, Map.of("conv2", 0.3)));

    assertThat(errors(spec))
        .containsOnlyKeys("policy.perLayer.conv2")
        .containsEntry("policy.perLayer.conv2", "layer 'conv2' is not simplified by this job");
  }

  @Test
  void acceptsAPerLayerRatioForAnyPrunableLayerWhenAllAreSimplified() {
    JobSpec spec = spec(MODEL_ID, DATASET_ID, List.of(), ratio(0.5, Map.of("conv2", 0.3)));

    assertThat(errors(spec)).isEmpty();
  }

  @Test
  void refusesManualKernelsOutOfRange() {
    JobSpec tooHigh = spec(MODEL_ID, DATASET_ID, List.of(), manual(Map.of("conv1", List.of(6))));
    JobSpec negative = spec(MODEL_ID, DATASET_ID, List.of(), manual(Map.of("conv2", List.of(-1))));

    assertThat(errors(tooHigh))
        .containsOnlyKeys("policy.kernels.conv1")
        .containsEntry("policy.kernels.conv1", "kernel indices must be in 0..5");
    assertThat(errors(negative))
        .containsEntry("policy.kernels.conv2", "kernel indices must be in 0..4");
  }

  @Test
  void refusesAManualKernelGivenTwice() {
    JobSpec spec = spec(MODEL_ID, DATASET_ID, List.of(), manual(Map.of("conv1", List.of(2, 4, 2))));

    assertThat(errors(spec)).containsEntry("policy.kernels.conv1", "a kernel index is given twice");
  }

  @Test
  void refusesChoosingEveryKernelOfALayer() {
    JobSpec spec =
        spec(MODEL_ID, DATASET_ID, List.of(), manual(Map.of("conv2", List.of(0, 1, 2, 3, 4))));

    assertThat(errors(spec))
        .containsEntry("policy.kernels.conv2", "all 5 kernels chosen; at least one must stay");
  }

  @Test
  void refusesManualKernelsOfALayerTheJobDoesNotSimplify() {
    JobSpec notChosen =
        spec(MODEL_ID, DATASET_ID, List.of("conv1"), manual(Map.of("conv2", List.of(0))));
    JobSpec unknown = spec(MODEL_ID, DATASET_ID, List.of(), manual(Map.of("conv7", List.of(0))));

    assertThat(errors(notChosen))
        .containsEntry("policy.kernels.conv2", "layer 'conv2' is not simplified by this job");
    assertThat(errors(unknown))
        .containsEntry("policy.kernels.conv7", "layer 'conv7' is not simplified by this job");
  }

  @Test
  void acceptsAManualSelectionThatKeepsAKernelInEachLayer() {
    JobSpec spec =
        spec(
            MODEL_ID,
            DATASET_ID,
            List.of(),
            manual(Map.of("conv1", List.of(0, 5), "conv2", List.of(1, 2, 3, 4))));

    assertThat(errors(spec)).isEmpty();
  }

  @Test
  void refusesImagesOfAnotherShapeAndSuggestsAdapt() {
    StoredDataset rgb = dataset(DATASET_ID, new InputShape(3, 32, 32), "a", "b", "c");

    Map<String, String> errors = errors(withAdapt(false), rgb);

    assertThat(errors).containsOnlyKeys("datasetId");
    assertThat(errors.get("datasetId"))
        .contains("3x32x32", "1x12x12")
        .contains("set adapt=true to resize and convert them");
  }

  @Test
  void acceptsImagesOfAnotherShapeWhenAskedToAdaptThem() {
    StoredDataset rgb = dataset(DATASET_ID, new InputShape(3, 32, 32), "a", "b", "c");

    assertThat(errors(withAdapt(true), rgb)).isEmpty();
  }

  private static JobSpec withValidationFraction(Double fraction) {
    Map<String, Object> fields = JobFixtures.fields(MODEL_ID, DATASET_ID, List.of(), ratio(0.5));
    fields.put("validationFraction", fraction);
    return JobFixtures.spec(fields);
  }

  @Test
  void refusesAValidationFractionOtherThanTheDataSetsAndSaysWhereItIsSet() {
    // The fixture data set was uploaded with validationFraction 0.1 and seed 42.
    Map<String, String> errors = errors(withValidationFraction(0.3));

    assertThat(errors).containsOnlyKeys("validationFraction");
    assertThat(errors.get("validationFraction"))
        .contains("set at data-set upload", "validationFraction 0.1", "seed 42")
        .contains("leave validationFraction out", "?validationFraction=0.3");
  }

  @Test
  void acceptsNoValidationFractionOrTheDataSetsOwn() {
    assertThat(errors(withValidationFraction(null))).isEmpty();
    assertThat(errors(withValidationFraction(0.1))).isEmpty();
  }

  @Test
  void refusesADataSetWithAnotherNumberOfClasses() {
    StoredDataset twoClasses = dataset(DATASET_ID, GRAY_12, "cats", "dogs");

    assertThat(errors(withAdapt(true), twoClasses))
        .containsEntry("datasetId", "the data set has 2 classes but the model has 3 outputs");
  }

  @Test
  void refusesAModelWithNothingToSimplify() {
    StoredModel mlp = JobFixtures.denseOnlyModel(MODEL_ID);
    JobSpec spec = withLayers();

    assertThat(JobValidation.errors(spec, JobPlans.toPlan(spec), mlp, fitting))
        .containsEntry("modelId", "the model has no convolution layer that can be simplified");
  }

  @Test
  void requiresACriterionUnlessThePolicyIsManual() {
    JobSpec noCriterion = withCriterion(null, ratio(0.5));

    ApiException e = catchThrowableOfType(ApiException.class, () -> JobPlans.toPlan(noCriterion));

    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    assertThat(e.fieldErrors())
        .containsEntry("criterion", "a criterion is required unless the policy is manual");
    SimplificationPlan manualPlan =
        JobPlans.toPlan(withCriterion(null, manual(Map.of("conv1", List.of(0)))));
    assertThat(manualPlan.criterion()).isNull();
    assertThat(manualPlan.policy())
        .isEqualTo(new EliminationPolicy.Manual(Map.of("conv1", List.of(0))));
  }

  @Test
  void planCarriesTheSpecAndItsDefaults() {
    SimplificationPlan plan =
        JobPlans.toPlan(spec(MODEL_ID, DATASET_ID, List.of("conv2"), ratio(0.25)));

    assertThat(plan)
        .isEqualTo(
            new SimplificationPlan(
                List.of("conv2"),
                Criterion.L1,
                Strategy.PROGRESSIVE,
                new EliminationPolicy.Ratio(0.25),
                Retraining.recommended(),
                42,
                512,
                4));
  }

  private static JobSpec withRetraining(Map<String, Object> retraining) {
    Map<String, Object> fields = JobFixtures.fields(MODEL_ID, DATASET_ID, List.of(), ratio(0.5));
    fields.put("retraining", retraining);
    return JobFixtures.spec(fields);
  }

  private static Map<String, String> retrainingErrors(Map<String, Object> retraining) {
    ApiException e =
        catchThrowableOfType(ApiException.class, () -> JobPlans.toPlan(withRetraining(retraining)));
    assertThat(e).as("expected %s to be refused", retraining).isNotNull();
    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    return e.fieldErrors();
  }

  @Test
  void planCarriesEveryRetrainingOption() {
    Map<String, Object> options = new java.util.LinkedHashMap<>();
    options.put("budget", Map.of("epochs", 2.5));
    options.put("batchSize", 32);
    options.put("learningRate", 3e-4);
    options.put("optimizer", "SGD");
    options.put("momentum", 0.9);
    options.put("weightDecay", 5e-4);
    options.put("schedule", "COSINE");
    options.put("warmupBatches", 20);
    options.put("split", "FLOPS");
    options.put("fineTuneShare", 0.25);
    options.put("carryOptimizerState", true);
    options.put("distillation", Map.of("alpha", 0.7));
    options.put("augmentation", Map.of("padding", 2));
    options.put("earlyStopping", Map.of("patience", 2, "everyBatches", 100));
    options.put("checkpointEveryBatches", 50);

    Retraining r = JobPlans.toPlan(withRetraining(options)).retraining();

    assertThat(r.budget()).isEqualTo(Retraining.Budget.epochs(2.5));
    assertThat(r.batchSize()).isEqualTo(32);
    assertThat(r.learningRate()).isEqualTo(3e-4);
    assertThat(r.optimizer())
        .isEqualTo(new Retraining.Optimizer(Retraining.Optimizer.Kind.SGD, 5e-4, 0.9));
    assertThat(r.schedule())
        .isEqualTo(new Retraining.Schedule(Retraining.Schedule.Shape.COSINE, 20));
    assertThat(r.split()).isEqualTo(Retraining.Split.FLOPS);
    assertThat(r.fineTuneShare()).isEqualTo(0.25);
    assertThat(r.carryOptimizerState()).isTrue();
    assertThat(r.distillation()).isEqualTo(new Retraining.Distillation(0.7, 4));
    assertThat(r.augmentation()).isEqualTo(new Retraining.Augmentation(2, true));
    assertThat(r.earlyStopping()).isEqualTo(new Retraining.EarlyStopping(2, 100));
    assertThat(r.checkpointEveryBatches()).isEqualTo(50);

    Retraining batches =
        JobPlans.toPlan(withRetraining(Map.of("budget", Map.of("batches", 1688)))).retraining();
    assertThat(batches.budget()).isEqualTo(Retraining.Budget.batches(1688));
    // The legacy field keeps its meaning: epochs in every stage, no budget, so an even split and
    // no final fine-tune; the other recommended settings apply.
    Retraining legacy = JobPlans.toPlan(withRetraining(Map.of("epochs", 3))).retraining();
    assertThat(legacy)
        .isEqualTo(
            new Retraining(3, 64, 1e-3, 0)
                .withSchedule(new Retraining.Schedule(Retraining.Schedule.Shape.COSINE, 0))
                .withCarryOptimizerState(true)
                .withDistillation(new Retraining.Distillation(0.5, 4)));
  }

  @Test
  void namesTheRetrainingFieldThatDoesNotFit() {
    assertThat(retrainingErrors(Map.of("budget", Map.of("epochs", 2), "epochs", 1)))
        .containsOnlyKeys("retraining.epochs");
    assertThat(retrainingErrors(Map.of("budget", Map.of("epochs", 2, "batches", 10))))
        .containsOnlyKeys("retraining.budget");
    assertThat(retrainingErrors(Map.of("budget", Map.of()))).containsOnlyKeys("retraining.budget");
    assertThat(retrainingErrors(Map.of("optimizer", "ADAGRAD")).get("retraining.optimizer"))
        .contains("ADAMW")
        .contains("got 'ADAGRAD'");
    assertThat(retrainingErrors(Map.of("schedule", "STEP")))
        .containsOnlyKeys("retraining.schedule");
    assertThat(retrainingErrors(Map.of("epochs", 1, "split", "FLOPS")).get("retraining.split"))
        .contains("needs a budget");
    assertThat(retrainingErrors(Map.of("epochs", 1, "fineTuneShare", 0.2)))
        .containsOnlyKeys("retraining.fineTuneShare");
    assertThat(retrainingErrors(Map.of("momentum", 0.9)).get("retraining.momentum"))
        .contains("SGD");
  }

  @Test
  void mapsEachPolicyTypeToTheEnginePolicy() {
    assertThat(policyOf(new JobSpec.PolicySpec("threshold", null, null, 0.2, null, null)))
        .isEqualTo(new EliminationPolicy.Threshold(0.2));
    assertThat(policyOf(new JobSpec.PolicySpec("maxAccuracyDrop", null, null, null, 0.02, null)))
        .isEqualTo(new EliminationPolicy.MaxAccuracyDrop(0.02));
    assertThat(policyOf(ratio(0.5, Map.of("conv1", 0.1))))
        .isEqualTo(new EliminationPolicy.Ratio(0.5, Map.of("conv1", 0.1)));
  }

  @Test
  void namesTheValueAPolicyTypeIsMissing() {
    assertThat(policyErrors(new JobSpec.PolicySpec("ratio", null, null, null, null, null)))
        .containsOnlyKeys("policy.ratio");
    assertThat(policyErrors(new JobSpec.PolicySpec("threshold", null, null, null, null, null)))
        .containsOnlyKeys("policy.threshold");
    assertThat(
            policyErrors(new JobSpec.PolicySpec("maxAccuracyDrop", null, null, null, null, null)))
        .containsOnlyKeys("policy.maxDrop");
    assertThat(policyErrors(new JobSpec.PolicySpec("manual", null, null, null, null, Map.of())))
        .containsOnlyKeys("policy.kernels");
  }

  @Test
  void refusesAnUnknownPolicyTypeAndValuesOutOfRange() {
    assertThat(policyErrors(new JobSpec.PolicySpec("random", 0.5, null, null, null, null)))
        .containsEntry(
            "policy.type", "must be one of ratio, threshold, maxAccuracyDrop, manual, target");
    assertThat(policyErrors(ratio(1.0)).get("policy")).contains("ratio must be in [0, 1)");
    assertThat(policyErrors(ratio(0.5, Map.of("conv1", -0.1))).get("policy"))
        .contains("ratio for layer 'conv1' must be in [0, 1)");
    assertThat(policyErrors(new JobSpec.PolicySpec("threshold", null, null, 1.5, null, null)))
        .containsKey("policy");
  }

  @Test
  void reportsAWrongShapeAndAWrongClassCountTogether() {
    StoredDataset wrong = dataset(DATASET_ID, new InputShape(3, 32, 32), "cats", "dogs");

    assertThat(errors(withAdapt(false), wrong).get("datasetId"))
        .contains("set adapt=true")
        .contains("the data set has 2 classes but the model has 3 outputs");
  }

  @Test
  void namesAMissingRatioOrKernelListInsteadOfFailing() {
    Map<String, Double> perLayer = new java.util.HashMap<>();
    perLayer.put("conv1", null);
    assertThat(policyErrors(ratio(0.5, perLayer))).containsKey("policy.perLayer.conv1");
    Map<String, List<Integer>> kernels = new java.util.HashMap<>();
    kernels.put("conv1", null);
    assertThat(policyErrors(manual(kernels))).containsKey("policy.kernels.conv1");
  }

  private static JobSpec withCriterion(Criterion criterion, JobSpec.PolicySpec policy) {
    Map<String, Object> fields = JobFixtures.fields(MODEL_ID, DATASET_ID, List.of(), policy);
    fields.put("criterion", criterion);
    return JobFixtures.spec(fields);
  }

  private static EliminationPolicy policyOf(JobSpec.PolicySpec policy) {
    return JobPlans.toPlan(spec(MODEL_ID, DATASET_ID, List.of(), policy)).policy();
  }

  private static Map<String, String> policyErrors(JobSpec.PolicySpec policy) {
    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () -> JobPlans.toPlan(spec(MODEL_ID, DATASET_ID, List.of(), policy)));
    assertThat(e).as("expected the policy to be refused").isNotNull();
    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
    return e.fieldErrors();
  }

  @Test
  void namesGroupsByAnyMemberAndRefusesTwoMembersOfOneGroup() {
    var residual =
        org.cnnsimplifier.engine.surgery.GroupNets.residual(
            1, org.deeplearning4j.nn.conf.graph.ElementWiseVertex.Op.Add);
    StoredModel model =
        new StoredModel(
            MODEL_ID,
            this.model.owner(),
            "resnet.zip",
            this.model.format(),
            1,
            this.model.sha256(),
            "blob",
            residual.inputShape(),
            org.cnnsimplifier.engine.model.ArchitectureSummary.of(residual),
            this.model.createdAt());
    StoredDataset images = dataset(DATASET_ID, residual.inputShape(), "a", "b", "c");
    java.util.function.Function<JobSpec, Map<String, String>> check =
        spec -> JobValidation.errors(spec, JobPlans.toPlan(spec), model, images);

    assertThat(check.apply(withLayers("b2", "a1"))).isEmpty();
    assertThat(check.apply(withLayers())).isEmpty();
    assertThat(check.apply(withLayers("b1", "b2")))
        .containsOnlyKeys("layers[1]")
        .extractingByKey("layers[1]")
        .asString()
        .contains("group 'stem'");
    assertThat(check.apply(withLayers("out")).get("layers[0]")).contains("classes");
    assertThat(
            check.apply(
                spec(
                    MODEL_ID,
                    DATASET_ID,
                    List.of("b1"),
                    manual(Map.of("b1", List.of(0, 1, 2, 3, 4, 5))))))
        .containsEntry("policy.kernels.b1", "all 6 kernels chosen; at least one must stay");
    assertThat(
            check.apply(
                spec(MODEL_ID, DATASET_ID, List.of("b1"), manual(Map.of("b2", List.of(0, 1))))))
        .isEmpty();
  }

  private static JobSpec.PolicySpec target(
      Double params, Double flops, Double latencyMs, Integer batchSize, Integer images) {
    return new JobSpec.PolicySpec(
        "target", null, null, null, null, null, params, flops, latencyMs, batchSize, images);
  }

  @Test
  void mapsATargetPolicyWithItsDefaults() {
    assertThat(policyOf(target(0.25, null, null, null, null)))
        .isEqualTo(new EliminationPolicy.Target(0.25, null, null, 1, 1000));
    assertThat(policyOf(target(0.25, 0.3, 12.5, 64, 500)))
        .isEqualTo(new EliminationPolicy.Target(0.25, 0.3, 12.5, 64, 500));
    assertThat(policyOf(target(null, 0.25, null, null, null)).describe())
        .isEqualTo("target flops 0.25");
  }

  @Test
  void namesWhatATargetPolicyLacksOrHasTooMuchOf() {
    assertThat(policyErrors(target(null, null, null, null, null)))
        .containsOnlyKeys("policy.params")
        .extractingByKey("policy.params")
        .asString()
        .contains("params, flops or latencyMs");
    assertThat(policyErrors(target(1.5, 0.0, null, null, null)))
        .containsOnlyKeys("policy.params", "policy.flops");
    assertThat(policyErrors(target(0.5, null, null, 64, null)))
        .containsOnlyKeys("policy.batchSize");
    assertThat(policyErrors(target(null, null, -1.0, null, null)))
        .containsOnlyKeys("policy.latencyMs");
    assertThat(
            policyErrors(
                new JobSpec.PolicySpec(
                    "target", 0.5, null, null, null, null, 0.25, null, null, null, null)))
        .containsOnlyKeys("policy");
  }

  @Test
  void refusesATargetTheModelCannotReachNamingTheSmallestReachableShare() {
    org.cnnsimplifier.engine.model.CnnModel tiny = org.cnnsimplifier.engine.TinyNets.sequential(3);
    StoredModel stored =
        new StoredModel(
            MODEL_ID,
            model.owner(),
            "tiny.zip",
            model.format(),
            1,
            model.sha256(),
            "blob",
            tiny.inputShape(),
            org.cnnsimplifier.engine.model.ArchitectureSummary.of(tiny),
            model.createdAt());
    StoredDataset images = dataset(DATASET_ID, tiny.inputShape(), "a", "b", "c");
    java.util.function.Function<JobSpec, Map<String, String>> check =
        spec -> JobValidation.errors(spec, JobPlans.toPlan(spec), stored, images);
    List<String> all = List.of("conv1", "conv2", "dense");

    assertThat(check.apply(spec(MODEL_ID, DATASET_ID, all, target(0.25, 0.25, null, null, null))))
        .isEmpty();
    Map<String, String> errors =
        check.apply(spec(MODEL_ID, DATASET_ID, all, target(0.01, 0.01, null, null, null)));
    assertThat(errors).containsOnlyKeys("policy.params", "policy.flops");
    assertThat(errors.get("policy.params"))
        .startsWith("cannot keep as little as 0.01 of the parameters: the smallest reachable")
        .containsPattern("fraction is about 0\\.[0-9]{4}")
        .contains("[conv1, conv2, dense]");
    // Without the dense layer the parameters cannot go as low: the dense layer holds most.
    assertThat(check.apply(spec(MODEL_ID, DATASET_ID, all, target(0.1, null, null, null, null))))
        .isEmpty();
    Map<String, String> convolutionsOnly =
        check.apply(spec(MODEL_ID, DATASET_ID, List.of(), target(0.1, null, null, null, null)));
    assertThat(convolutionsOnly).containsOnlyKeys("policy.params");
    assertThat(convolutionsOnly.get("policy.params")).contains("[conv1, conv2]");
  }
}
