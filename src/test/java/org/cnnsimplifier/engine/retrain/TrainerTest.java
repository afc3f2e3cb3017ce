package org.cnnsimplifier.engine.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.SyntheticData;
import org.cnnsimplifier.engine.TinyNets;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.plan.Retraining;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class TrainerTest {
  private static final SyntheticData DATA = new SyntheticData(20, 10, 5);
  private static final Retraining ONE_EPOCH = new Retraining(1, 10, 1e-2, 0);

  private static Map<String, INDArray> snapshot(CnnModel model) {
    Map<String, INDArray> params = new LinkedHashMap<>();
    for (String layer : model.layerNames()) {
      model
          .layer(layer)
          .paramTable()
          .forEach((key, value) -> params.put(layer + "/" + key, value.dup()));
    }
    return params;
  }

  private static void assertFrozenAfter(
      CnnModel model, String lastTrainable, List<String> changed, List<String> frozen) {
    Map<String, INDArray> before = snapshot(model);
    Trainer.train(model, lastTrainable, DATA, ONE_EPOCH, 42, Cancellation.NEVER);
    Map<String, INDArray> after = snapshot(model);
    for (String key : before.keySet()) {
      String layer = key.substring(0, key.indexOf('/'));
      if (frozen.contains(layer)) {
        assertThat(after.get(key)).as("frozen %s", key).isEqualTo(before.get(key));
      }
    }
    for (String layer : changed) {
      assertThat(after.get(layer + "/W"))
          .as("trained %s", layer)
          .isNotEqualTo(before.get(layer + "/W"));
    }
  }

  @Test
  void progressiveRetrainingLeavesLayersAfterTheNextOneBitIdentical() {
    assertFrozenAfter(
        TinyNets.sequential(3), "conv2", List.of("conv1", "conv2"), List.of("dense", "out"));
  }

  @Test
  void frozenLayersStillPassGradientsToEarlierLayers() {
    // Only conv1 trains: if frozen layers blocked gradients it would not change.
    assertFrozenAfter(
        TinyNets.sequential(3), "conv1", List.of("conv1"), List.of("bn1", "conv2", "dense", "out"));
  }

  @Test
  void freezesGraphLayersInTopologicalOrder() {
    assertFrozenAfter(
        TinyNets.graphChain(3), "conv2", List.of("conv1", "conv2"), List.of("dense", "out"));
  }

  @Test
  void trainingEverythingChangesTheOutputLayer() {
    assertFrozenAfter(TinyNets.sequential(3), null, List.of("conv1", "dense", "out"), List.of());
  }

  @Test
  void trainingImprovesAccuracy() {
    CnnModel model = TinyNets.sequential(8);
    double before = Evaluator.evaluate(model, DATA.validation(16), Cancellation.NEVER).accuracy();
    Trainer.train(model, null, DATA, new Retraining(4, 10, 1e-2, 0), 1, Cancellation.NEVER);
    double after = Evaluator.evaluate(model, DATA.validation(16), Cancellation.NEVER).accuracy();
    assertThat(after).isGreaterThan(before).isGreaterThan(0.8);
  }

  @Test
  void cancellationStopsWithinABatchAndLeavesTheModelUnchanged() {
    CnnModel model = TinyNets.sequential(3);
    Map<String, INDArray> before = snapshot(model);
    int[] batches = {0};
    Cancellation afterTwoBatches = () -> batches[0]++ >= 2;
    assertThatThrownBy(() -> Trainer.train(model, null, DATA, ONE_EPOCH, 1, afterTwoBatches))
        .isInstanceOf(CancelledException.class);
    assertThat(batches[0]).isEqualTo(3);
    assertThat(snapshot(model)).isEqualTo(before);
  }

  @Test
  void sameSeedGivesIdenticalParameters() {
    CnnModel a = TinyNets.sequential(3);
    CnnModel b = TinyNets.sequential(3);
    Trainer.train(a, "conv2", DATA, ONE_EPOCH, 9, Cancellation.NEVER);
    Trainer.train(b, "conv2", DATA, ONE_EPOCH, 9, Cancellation.NEVER);
    assertThat(a.network().params()).isEqualTo(b.network().params());
  }
}
