package org.cnnsimplifier.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.criteria.Criterion;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.plan.Strategy;
import org.cnnsimplifier.engine.report.SpeedComparison;
import org.cnnsimplifier.engine.report.StepEvent;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.retrain.CancelledException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class SimplifierTest {
  private static final SyntheticData DATA = new SyntheticData(20, 10, 5);
  private static final Retraining RETRAINING = new Retraining(1, 10, 1e-2, 0);

  private final Simplifier simplifier = new Simplifier();

  private static SimplificationPlan plan(Criterion criterion, EliminationPolicy policy) {
    return SimplificationPlan.progressive(criterion, policy, 17).withRetraining(RETRAINING);
  }

  /** Records events and checkpoints. */
  private static final class Recorder implements ProgressListener {
    final List<StepEvent> steps = new ArrayList<>();
    final List<Checkpoint> checkpoints = new ArrayList<>();

    @Override
    public void onStep(StepEvent event) {
      steps.add(event);
    }

    @Override
    public void onCheckpoint(Checkpoint checkpoint) {
      checkpoints.add(checkpoint);
    }
  }

  @Test
  void progressiveL1HalvesEveryConvolutionLayerAndReportsEachStep() {
    CnnModel model = TinyNets.sequential(3);
    Recorder recorder = new Recorder();
    SimplificationResult result =
        simplifier.run(
            model,
            DATA,
            plan(Criterion.L1, new EliminationPolicy.Ratio(0.5)),
            recorder,
            Cancellation.NEVER);

    assertThat(recorder.steps).extracting(StepEvent::layer).containsExactly("conv1", "conv2");
    assertThat(recorder.steps).extracting(StepEvent::kernelsBefore).containsExactly(6, 5);
    assertThat(recorder.steps).extracting(StepEvent::kernelsAfter).containsExactly(3, 2);
    StepEvent first = recorder.steps.get(0);
    assertThat(first.removedKernels()).hasSize(3);
    assertThat(first.paramsAfter()).isLessThan(first.paramsBefore());
    assertThat(first.flopsAfter()).isLessThan(first.flopsBefore());
    assertThat(first.afterRetraining()).isNotNull();
    assertThat(first.decidedBy()).isEqualTo("L1, ratio 0.5");
    assertThat(result.report().steps()).isEqualTo(recorder.steps);
    assertThat(result.report().simplified().params()).isEqualTo(result.model().numParams());
    assertThat(result.report().simplified().validation())
        .isEqualTo(recorder.steps.get(1).afterRetraining())
        .isEqualTo(
            org.cnnsimplifier.engine.retrain.Evaluator.evaluate(
                    result.model(), DATA.validation(10), Cancellation.NEVER)
                .on("validation"));
    assertThat(result.report().original().params()).isEqualTo(model.numParams());
    assertThat(result.report().test()).isNotNull();
    assertThat(recorder.checkpoints).extracting(Checkpoint::layersDone).containsExactly(1, 2);
    SpeedComparison speed = result.report().speed();
    assertThat(speed).as("measured inference speed").isNotNull();
    assertThat(speed.original().latencyMillis()).isPositive();
    assertThat(speed.simplified().latencyMillis()).isPositive();
    assertThat(speed.original().imagesPerSecond()).isPositive();
    assertThat(speed.simplified().imagesPerSecond()).isPositive();
    assertThat(speed.flopReduction())
        .isEqualTo(
            (double) result.report().original().flops() / result.report().simplified().flops());
    assertThat(model.numParams())
        .as("input model untouched")
        .isEqualTo(TinyNets.sequential(3).numParams());
  }

  @Test
  void progressiveKeepsLayersAfterTheNextWeightLayerBitIdentical() {
    CnnModel model = TinyNets.sequential(3);
    SimplificationResult result =
        simplifier.run(
            model,
            DATA,
            plan(Criterion.L1, new EliminationPolicy.Ratio(0.5)).withLayers(List.of("conv1")),
            ProgressListener.NONE,
            Cancellation.NEVER);
    CnnModel simplified = result.model();
    for (String frozen : List.of("dense", "out")) {
      for (String key : List.of("W", "b")) {
        assertThat(simplified.layer(frozen).getParam(key))
            .as("%s/%s", frozen, key)
            .isEqualTo(model.layer(frozen).getParam(key));
      }
    }
    // conv2 (layer i+1) trained: its kept input channels differ from the originals.
    INDArray conv2Bias = simplified.layer("conv2").getParam("b");
    assertThat(conv2Bias).isNotEqualTo(model.layer("conv2").getParam("b"));
  }

  @Test
  void samePlanAndSeedGiveIdenticalModels() {
    SimplificationPlan plan = plan(Criterion.APOZ, new EliminationPolicy.Ratio(0.4));
    INDArray first =
        simplifier
            .run(TinyNets.sequential(3), DATA, plan, ProgressListener.NONE, Cancellation.NEVER)
            .model()
            .network()
            .params();
    INDArray second =
        simplifier
            .run(TinyNets.sequential(3), DATA, plan, ProgressListener.NONE, Cancellation.NEVER)
            .model()
            .network()
            .params();
    assertThat(second).isEqualTo(first);
  }

  @Test
  void resumingFromACheckpointGivesTheUninterruptedResult(@TempDir Path dir) {
    SimplificationPlan plan = plan(Criterion.MEAN_ACTIVATION, new EliminationPolicy.Ratio(0.5));
    Recorder recorder = new Recorder();
    SimplificationResult uninterrupted =
        simplifier.run(TinyNets.sequential(3), DATA, plan, recorder, Cancellation.NEVER);

    Checkpoints.write(recorder.checkpoints.get(0), dir.resolve("cp.zip"));
    Checkpoint stored = Checkpoints.read(dir.resolve("cp.zip"));
    assertThat(stored.layersDone()).isEqualTo(1);
    SimplificationResult resumed =
        simplifier.resume(stored, DATA, plan, ProgressListener.NONE, Cancellation.NEVER);

    assertThat(resumed.model().network().params())
        .isEqualTo(uninterrupted.model().network().params());
    assertThat(resumed.report().steps()).hasSize(2);
    assertThat(resumed.report().steps().get(1).removedKernels())
        .isEqualTo(uninterrupted.report().steps().get(1).removedKernels());
    assertThat(resumed.report().speed()).as("no original given").isNull();
    SimplificationResult measured = Simplifier.measureSpeed(TinyNets.sequential(3), resumed);
    assertThat(measured.report().speed().flopReduction())
        .isEqualTo(uninterrupted.report().speed().flopReduction());
    assertThat(measured.model()).isSameAs(resumed.model());
  }

  @Test
  void iterativeFullRemovesAStepAtATimeAndRetrainsEverything() {
    Recorder recorder = new Recorder();
    simplifier.run(
        TinyNets.sequential(3),
        DATA,
        plan(Criterion.L2, new EliminationPolicy.Ratio(0.5))
            .withStrategy(Strategy.ITERATIVE_FULL)
            .withIterativeStep(2)
            .withLayers(List.of("conv1")),
        recorder,
        Cancellation.NEVER);
    assertThat(recorder.steps).extracting(StepEvent::kernelsAfter).containsExactly(4, 3);
    assertThat(recorder.steps.get(0).removedKernels()).hasSize(2);
    assertThat(recorder.steps.get(1).removedKernels()).hasSize(1);
  }

  @Test
  void oneShotEliminatesEverywhereThenFineTunesOnce() {
    Recorder recorder = new Recorder();
    SimplificationResult result =
        simplifier.run(
            TinyNets.sequential(3),
            DATA,
            plan(Criterion.L1, new EliminationPolicy.Ratio(0.5)).withStrategy(Strategy.ONE_SHOT),
            recorder,
            Cancellation.NEVER);
    assertThat(recorder.steps).extracting(StepEvent::layer).containsExactly("conv1", "conv2", "*");
    assertThat(recorder.steps.get(0).afterRetraining()).isNull();
    assertThat(recorder.steps.get(2).afterRetraining()).isNotNull();
    assertThat(result.model().numParams()).isLessThan(TinyNets.sequential(3).numParams());
  }

  @Test
  void manualPolicyRemovesExactlyTheNamedKernels() {
    Recorder recorder = new Recorder();
    simplifier.run(
        TinyNets.sequential(3),
        DATA,
        new SimplificationPlan(
            List.of("conv1", "conv2"),
            null,
            Strategy.PROGRESSIVE,
            new EliminationPolicy.Manual(Map.of("conv1", List.of(5, 0), "conv2", List.of(3))),
            RETRAINING,
            1,
            64,
            1),
        recorder,
        Cancellation.NEVER);
    assertThat(recorder.steps.get(0).removedKernels()).containsExactly(0, 5);
    assertThat(recorder.steps.get(1).removedKernels()).containsExactly(3);
    assertThat(recorder.steps.get(0).decidedBy()).isEqualTo("manual");
  }

  @Test
  void simplifiesComputationGraphs() {
    SimplificationResult result =
        simplifier.run(
            TinyNets.graphChain(2),
            DATA,
            plan(Criterion.L1, new EliminationPolicy.Ratio(0.5)),
            ProgressListener.NONE,
            Cancellation.NEVER);
    assertThat(result.model().isGraph()).isTrue();
    assertThat(result.report().steps()).hasSize(2);
    assertThat(result.model().numParams()).isLessThan(TinyNets.graphChain(2).numParams());
  }

  @Test
  void progressiveSimplifiesResidualGroupsAndChecksEveryElimination() {
    CnnModel model =
        org.cnnsimplifier.engine.surgery.GroupNets.residual(
            3, org.deeplearning4j.nn.conf.graph.ElementWiseVertex.Op.Add);
    var data = new SyntheticData(org.cnnsimplifier.engine.surgery.GroupNets.INPUT, 10, 5, 6);
    Recorder recorder = new Recorder();
    SimplificationResult result =
        simplifier.run(
            model,
            data,
            plan(Criterion.L1, new EliminationPolicy.Ratio(0.5)).withLayers(List.of("b2", "a1")),
            recorder,
            Cancellation.NEVER);
    // "b2" names the residual group of stem, b1 and b2: it is simplified under its name.
    assertThat(recorder.steps).extracting(StepEvent::layer).containsExactly("stem", "a1");
    assertThat(recorder.steps.get(0).kernelsBefore()).isEqualTo(6);
    assertThat(recorder.steps.get(0).kernelsAfter()).isEqualTo(3);
    for (String member : List.of("stem", "b1", "b2")) {
      assertThat(
              ((org.deeplearning4j.nn.conf.layers.ConvolutionLayer)
                      result.model().layerConf(member))
                  .getNOut())
          .isEqualTo(3);
    }
    assertThat(result.model().numParams()).isLessThan(model.numParams());
  }

  @Test
  void namesTwoMembersOfOneGroupAsAMistake() {
    CnnModel model =
        org.cnnsimplifier.engine.surgery.GroupNets.residual(
            3, org.deeplearning4j.nn.conf.graph.ElementWiseVertex.Op.Add);
    SimplificationPlan plan =
        plan(Criterion.L1, new EliminationPolicy.Ratio(0.5)).withLayers(List.of("b1", "b2"));
    assertThatThrownBy(() -> Simplifier.layersOf(model, plan))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("same group 'stem'");
  }

  @Test
  void prunesDenseUnitsWhenNamed() {
    CnnModel model = TinyNets.sequential(3);
    SimplificationPlan plan =
        plan(Criterion.L1, new EliminationPolicy.Ratio(0.5))
            .withLayers(List.of("conv1", "conv2", "dense"));
    SimplificationResult result =
        simplifier.run(model, DATA, plan, ProgressListener.NONE, Cancellation.NEVER);
    assertThat(result.report().steps())
        .extracting(StepEvent::layer)
        .containsExactly("conv1", "conv2", "dense");
    assertThat(result.model().layer("dense").getParam("b").length()).isEqualTo(4);
  }

  @Test
  void runsOnZooModelsEndingInLossLayersAfterGlobalPooling() {
    var data = new SyntheticData(new org.cnnsimplifier.engine.model.InputShape(3, 64, 64), 4, 2, 8);
    Retraining brief = new Retraining(1, 6, 1e-3, 2);
    for (CnnModel model :
        List.of(
            org.cnnsimplifier.engine.surgery.ZooModels.squeezeNet(64, TinyNets.CLASSES),
            org.cnnsimplifier.engine.surgery.ZooModels.darknet19(64, TinyNets.CLASSES))) {
      List<String> groups =
          Simplifier.layersOf(model, plan(Criterion.L1, new EliminationPolicy.Ratio(0.5)));
      SimplificationPlan plan =
          plan(Criterion.TAYLOR, new EliminationPolicy.Ratio(0.25))
              .withRetraining(brief)
              .withLayers(List.of(groups.get(1), groups.get(groups.size() - 1)));
      SimplificationResult result =
          simplifier.run(model, data, plan, ProgressListener.NONE, Cancellation.NEVER);
      assertThat(result.report().steps()).hasSize(2);
      assertThat(result.model().numParams()).isLessThan(model.numParams());
      assertThat(result.model().numClasses()).isEqualTo(TinyNets.CLASSES);
    }
  }

  @Test
  void cancellationStopsTheRun() {
    int[] asked = {0};
    assertThatThrownBy(
            () ->
                simplifier.run(
                    TinyNets.sequential(3),
                    DATA,
                    plan(Criterion.L1, new EliminationPolicy.Ratio(0.5)),
                    ProgressListener.NONE,
                    () -> asked[0]++ > 5))
        .isInstanceOf(CancelledException.class);
  }

  @Test
  void rejectsLayersThatDoNotExistOrCannotBeSimplified() {
    CnnModel model = TinyNets.sequential(3);
    SimplificationPlan base = plan(Criterion.L1, new EliminationPolicy.Ratio(0.5));
    assertThatThrownBy(() -> Simplifier.layersOf(model, base.withLayers(List.of("convX"))))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("convX");
    assertThatThrownBy(() -> Simplifier.layersOf(model, base.withLayers(List.of("out"))))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("classes");
    assertThatThrownBy(() -> Simplifier.layersOf(model, base.withLayers(List.of("conv1", "conv1"))))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("twice");
    assertThat(Simplifier.layersOf(model, base)).containsExactly("conv1", "conv2");
  }
}
