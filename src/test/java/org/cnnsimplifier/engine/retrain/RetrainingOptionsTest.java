package org.cnnsimplifier.engine.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.cnnsimplifier.engine.SyntheticData;
import org.cnnsimplifier.engine.TinyNets;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.surgery.KernelSurgery;
import org.cnnsimplifier.support.LearnableFixtures;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.ops.transforms.Transforms;

/** The retraining options, each with real DL4J training of a tiny network. */
class RetrainingOptionsTest {
  private static final SyntheticData DATA = new SyntheticData(20, 10, 5);
  private static final Retraining BASE = new Retraining(1, 10, 1e-2, 0);

  private static Trainer.Outcome train(
      CnnModel model, Retraining settings, CnnModel teacher, long batches) {
    try (Trainer.Session session = new Trainer.Session(DATA, settings, teacher)) {
      return session.train(
          model, null, batches, 7, Cancellation.NEVER, Trainer.Observer.NONE, null);
    }
  }

  private static double accuracy(CnnModel model) {
    return Evaluator.evaluate(model, DATA.validation(16), Cancellation.NEVER).accuracy();
  }

  /** A model trained well on the data: a teacher, or a good start. */
  private static CnnModel trained() {
    CnnModel model = TinyNets.sequential(8);
    Trainer.train(model, null, DATA, new Retraining(4, 10, 1e-2, 0), 1, Cancellation.NEVER);
    return model;
  }

  /** Mean KL divergence of the student's predictions from the teacher's on validation images. */
  private static double divergence(CnnModel teacher, CnnModel student) {
    double sum = 0;
    long count = 0;
    var it = DATA.validation(30);
    while (it.hasNext()) {
      INDArray x = it.next().getFeatures();
      INDArray p = Transforms.max(teacher.output(x), 1e-7, false);
      INDArray q = Transforms.max(student.output(x), 1e-7, false);
      sum += p.mul(Transforms.log(p, true).subi(Transforms.log(q, true))).sumNumber().doubleValue();
      count += x.size(0);
    }
    return sum / count;
  }

  /** The image [c, h, w] mirrored left to right, pixel by pixel. */
  private static INDArray mirrored(INDArray image) {
    INDArray result = image.dup();
    long width = image.size(2);
    for (long c = 0; c < image.size(0); c++) {
      for (long y = 0; y < image.size(1); y++) {
        for (long x = 0; x < width; x++) {
          result.putScalar(new long[] {c, y, x}, image.getDouble(c, y, width - 1 - x));
        }
      }
    }
    return result;
  }

  @Test
  void aStageTrainsExactlyItsBatchesAcrossEpochs() {
    // 60 images in batches of 10: 6 per epoch; 14 batches are two epochs and two batches.
    assertThat(Trainer.batchesPerEpoch(DATA, BASE)).isEqualTo(6);
    CnnModel model = TinyNets.sequential(3);
    assertThat(train(model, BASE, null, 14).batches()).isEqualTo(14);
    assertThat(Trainer.batchesPerEpoch(DATA, new Retraining(1, 10, 1e-2, 4))).isEqualTo(4);
  }

  @Test
  void distillationWithAlphaZeroTrainsExactlyAsWithout() {
    CnnModel teacher = trained();
    CnnModel plain = TinyNets.sequential(3);
    CnnModel distilled = TinyNets.sequential(3);
    train(plain, BASE, null, 12);
    train(distilled, BASE.withDistillation(new Retraining.Distillation(0, 4)), teacher, 12);
    assertThat(distilled.network().params()).isEqualTo(plain.network().params());
  }

  @Test
  void distillationPullsTheStudentTowardsTheTeacher() {
    CnnModel teacher = trained();
    CnnModel plain = TinyNets.sequential(3);
    CnnModel distilled = TinyNets.sequential(3);
    double start = divergence(teacher, plain);
    train(plain, BASE, null, 12);
    train(distilled, BASE.withDistillation(new Retraining.Distillation(1, 2)), teacher, 12);
    assertThat(distilled.network().params()).isNotEqualTo(plain.network().params());
    assertThat(divergence(teacher, distilled)).isLessThan(start);
  }

  @Test
  void distillationNeedsTheTeacher() {
    assertThatThrownBy(
            () ->
                new Trainer.Session(
                    DATA, BASE.withDistillation(new Retraining.Distillation(0.5, 4)), null))
        .hasMessageContaining("teacher");
  }

  @Test
  void onlyASoftmaxClassifierCanBeDistilledInto() {
    assertThat(Trainer.canDistil(TinyNets.sequential(3))).isTrue();
    assertThat(Trainer.canDistil(TinyNets.globalPooling(3))).isTrue();
    assertThat(
            Trainer.canDistil(
                LearnableFixtures.model(Activation.SOFTMAX, LossFunctions.LossFunction.MCXENT)))
        .isTrue();
    assertThat(
            Trainer.canDistil(
                LearnableFixtures.model(Activation.SIGMOID, LossFunctions.LossFunction.XENT)))
        .isFalse();
  }

  @Test
  void theRecommendedSettingsAreTheOnesTheStrategyComparisonChose() {
    assertThat(Retraining.recommended())
        .isEqualTo(
            new Retraining(1, 64, 1e-3, 0)
                .withBudget(Retraining.Budget.epochs(2))
                .withSchedule(new Retraining.Schedule(Retraining.Schedule.Shape.COSINE, 0))
                .withFineTuneShare(0.25)
                .withCarryOptimizerState(true)
                .withDistillation(new Retraining.Distillation(0.5, 4)));
  }

  @Test
  void augmentationIsOffByDefaultSeededAndShiftsOrFlips() {
    assertThat(Retraining.defaults().augmentation()).isNull();
    INDArray images = TinyNets.images(8, 3);
    assertThat(Augmenter.augment(images, null, 1)).isSameAs(images);

    Retraining.Augmentation flipOnly = new Retraining.Augmentation(0, true);
    INDArray flipped = Augmenter.augment(images, flipOnly, 11);
    assertThat(Augmenter.augment(images, flipOnly, 11)).isEqualTo(flipped);
    int mirrored = 0;
    for (int i = 0; i < 8; i++) {
      INDArray original = images.get(NDArrayIndex.point(i)).dup();
      INDArray result = flipped.get(NDArrayIndex.point(i)).dup();
      INDArray reversed = mirrored(original);
      if (result.equals(original)) {
        continue;
      }
      assertThat(result).isEqualTo(reversed);
      mirrored++;
    }
    assertThat(mirrored).isBetween(1, 7);

    Retraining.Augmentation crop = new Retraining.Augmentation(2, false);
    INDArray shifted = Augmenter.augment(images, crop, 11);
    assertThat(Augmenter.augment(images, crop, 12)).isNotEqualTo(shifted);
    assertThat(shifted.sumNumber().doubleValue()).isLessThan(images.sumNumber().doubleValue());

    CnnModel a = TinyNets.sequential(3);
    CnnModel b = TinyNets.sequential(3);
    CnnModel plain = TinyNets.sequential(3);
    Retraining augmented = BASE.withAugmentation(new Retraining.Augmentation(2, true));
    train(a, augmented, null, 6);
    train(b, augmented, null, 6);
    train(plain, BASE, null, 6);
    assertThat(a.network().params()).isEqualTo(b.network().params());
    assertThat(a.network().params()).isNotEqualTo(plain.network().params());
  }

  @Test
  void warmUpAndCosineScheduleTheRateOfEveryStage() {
    Retraining.Schedule schedule = new Retraining.Schedule(Retraining.Schedule.Shape.COSINE, 2);
    assertThat(schedule.rate(0.1, 0, 10)).isCloseTo(0.05, within(1e-12));
    assertThat(schedule.rate(0.1, 1, 10)).isCloseTo(0.1, within(1e-12));
    assertThat(schedule.rate(0.1, 2, 10)).isCloseTo(0.1, within(1e-12));
    assertThat(schedule.rate(0.1, 6, 10)).isCloseTo(0.05, within(1e-12));
    assertThat(schedule.rate(0.1, 9, 10))
        .isCloseTo(0.1 * 0.5 * (1 + Math.cos(Math.PI * 7 / 8)), within(1e-12));
    Retraining.Schedule constant = new Retraining.Schedule(Retraining.Schedule.Shape.CONSTANT, 4);
    assertThat(constant.rate(0.1, 1, 10)).isCloseTo(0.05, within(1e-12));
    assertThat(constant.rate(0.1, 8, 10)).isCloseTo(0.1, within(1e-12));

    // The training graph's updaters follow it from the stage's first iteration.
    CnnModel model = TinyNets.sequential(3);
    Retraining settings = BASE.withSchedule(schedule);
    ComputationGraph graph =
        Trainer.network(model, Trainer.trainable(model, null), settings, 100, 10, null);
    try {
      IUpdater updater = ((BaseLayer) graph.getLayer("conv1").conf().getLayer()).getIUpdater();
      for (int i = 0; i < 10; i++) {
        assertThat(updater.getLearningRate(100 + i, 0))
            .as("batch %d", i)
            .isCloseTo(schedule.rate(1e-2, i, 10), within(1e-12));
      }
    } finally {
      graph.close();
    }
  }

  @Test
  void optimizersAndWeightDecayAreTheSettings() {
    CnnModel model = TinyNets.sequential(3);
    for (Retraining.Optimizer optimizer :
        List.of(
            new Retraining.Optimizer(Retraining.Optimizer.Kind.ADAMW, 1e-2, 0),
            new Retraining.Optimizer(Retraining.Optimizer.Kind.SGD, 1e-3, 0.9),
            new Retraining.Optimizer(Retraining.Optimizer.Kind.SGD, 0, 0))) {
      ComputationGraph graph =
          Trainer.network(
              model, Set.copyOf(model.layerNames()), BASE.withOptimizer(optimizer), 0, 10, null);
      try {
        BaseLayer conv = (BaseLayer) graph.getLayer("conv1").conf().getLayer();
        String expected =
            switch (optimizer.kind()) {
              case ADAM, ADAMW -> "Adam";
              case SGD -> optimizer.momentum() > 0 ? "Nesterovs" : "Sgd";
            };
        assertThat(conv.getIUpdater().getClass().getSimpleName()).isEqualTo(expected);
        if (optimizer.weightDecay() > 0) {
          assertThat(conv.getRegularization())
              .singleElement()
              .extracting(r -> r.getClass().getSimpleName())
              .isEqualTo(
                  optimizer.kind() == Retraining.Optimizer.Kind.ADAMW
                      ? "WeightDecay"
                      : "L2Regularization");
          assertThat(conv.getRegularizationBias()).isEmpty();
        }
      } finally {
        graph.close();
      }
      CnnModel trainedCopy = model.copy();
      train(trainedCopy, BASE.withOptimizer(optimizer), null, 6);
      assertThat(trainedCopy.network().params()).isNotEqualTo(model.network().params());
    }
    assertThatThrownBy(() -> new Retraining.Optimizer(Retraining.Optimizer.Kind.ADAM, 0, 0.9))
        .hasMessageContaining("momentum");
  }

  @Test
  void earlyStoppingStopsAndRestoresTheBestEvaluation() {
    // From a well-trained start, a far too high rate makes every evaluation worse.
    Retraining ruinous =
        new Retraining(1, 10, 0.9, 0)
            .withOptimizer(new Retraining.Optimizer(Retraining.Optimizer.Kind.SGD, 0, 0));
    CnnModel start = trained();
    double before = accuracy(start);
    CnnModel stopped = start.copy();
    CnnModel ruined = start.copy();
    Trainer.Outcome outcome =
        train(stopped, ruinous.withEarlyStopping(new Retraining.EarlyStopping(2, 2)), null, 30);
    train(ruined, ruinous, null, 30);
    assertThat(accuracy(ruined)).isLessThan(before);
    assertThat(outcome.stoppedEarly()).isTrue();
    assertThat(outcome.batches()).isLessThan(30);
    assertThat(accuracy(stopped)).isGreaterThanOrEqualTo(before);
  }

  @Test
  void carriedStateKeepsTheSurvivorsSlicesOfTheMoments() {
    Retraining carry = BASE.withCarryOptimizerState(true);
    CnnModel model = TinyNets.sequential(3);
    try (Trainer.Session session = new Trainer.Session(DATA, carry, null)) {
      session.train(model, null, 6, 7, Cancellation.NEVER, Trainer.Observer.NONE, null);
      OptimizerState first = session.carried();
      assertThat(first.iterations()).isEqualTo(6);
      List<INDArray> conv1 = first.get("conv1", "W");
      List<INDArray> conv2 = first.get("conv2", "W");
      List<INDArray> gamma = first.get("bn1", "gamma");
      assertThat(conv1).hasSize(2); // Adam: m and v
      assertThat(conv1.get(0).sumNumber().doubleValue()).isNotZero();

      int[] removed = {1, 4};
      long[] kept = {0, 2, 3, 5};
      session.eliminated(model, "conv1", removed);
      CnnModel smaller = KernelSurgery.remove(model, "conv1", removed);
      OptimizerState cut = session.carried();
      for (int slot = 0; slot < 2; slot++) {
        assertThat(cut.get("conv1", "W").get(slot))
            .isEqualTo(conv1.get(slot).get(NDArrayIndex.indices(kept)));
        assertThat(cut.get("conv2", "W").get(slot))
            .isEqualTo(conv2.get(slot).get(NDArrayIndex.all(), NDArrayIndex.indices(kept)));
        assertThat(cut.get("bn1", "gamma").get(slot).reshape(-1))
            .isEqualTo(gamma.get(slot).reshape(-1).get(NDArrayIndex.indices(kept)));
      }
      assertThat(cut.get("dense", "W")).isEqualTo(first.get("dense", "W"));

      // The next stage's graph starts from exactly those moments.
      ComputationGraph graph =
          Trainer.network(smaller, Trainer.trainable(smaller, null), carry, 6, 6, null);
      try {
        cut.applyTo(graph);
        var read = OptimizerState.read(graph);
        assertThat(read.get("conv1").get("W")).isEqualTo(cut.get("conv1", "W"));
        assertThat(read.get("conv2").get("W")).isEqualTo(cut.get("conv2", "W"));
        assertThat(graph.getConfiguration().getIterationCount()).isEqualTo(6);
      } finally {
        graph.close();
      }

      // Carried state trains differently from fresh state.
      CnnModel fresh = smaller.copy();
      session.train(smaller, null, 6, 8, Cancellation.NEVER, Trainer.Observer.NONE, null);
      try (Trainer.Session other = new Trainer.Session(DATA, BASE, null)) {
        other.train(fresh, null, 6, 8, Cancellation.NEVER, Trainer.Observer.NONE, null);
      }
      assertThat(smaller.network().params()).isNotEqualTo(fresh.network().params());
      assertThat(session.carried().iterations()).isEqualTo(12);
    }
  }

  @Test
  void aStageResumedFromItsProgressEndsAsAnUninterruptedOne() {
    Retraining settings =
        BASE.withEarlyStopping(new Retraining.EarlyStopping(50, 3))
            .withAugmentation(new Retraining.Augmentation(1, true))
            .withSchedule(new Retraining.Schedule(Retraining.Schedule.Shape.COSINE, 2))
            .withCheckpointEveryBatches(4);
    CnnModel uninterrupted = TinyNets.sequential(3);
    CnnModel start = uninterrupted.copy();
    List<StageProgress> progress = new java.util.ArrayList<>();
    try (Trainer.Session session = new Trainer.Session(DATA, settings, null)) {
      session.train(
          uninterrupted,
          null,
          14,
          7,
          Cancellation.NEVER,
          new Trainer.Observer() {
            @Override
            public boolean wantsProgress() {
              return true;
            }

            @Override
            public void onProgress(StageProgress p) {
              progress.add(p);
            }
          },
          null);
    }
    assertThat(progress).extracting(StageProgress::batchesDone).containsExactly(4L, 8L, 12L);
    try (Trainer.Session session = new Trainer.Session(DATA, settings, null)) {
      session.train(start, null, 14, 7, Cancellation.NEVER, Trainer.Observer.NONE, progress.get(1));
    }
    assertThat(start.network().params()).isEqualTo(uninterrupted.network().params());
  }
}
