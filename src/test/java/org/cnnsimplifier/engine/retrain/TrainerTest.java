package org.cnnsimplifier.engine.retrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

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

  /**
   * conv (4, ReLU) → conv (5, ReLU) → batch norm → dropout → dense (6, tanh) → softmax: with conv2
   * the last trainable layer, the head computes alike in training and evaluation, so any difference
   * in loss comes from the frozen tail.
   */
  private static CnnModel batchNormDropoutTail() {
    org.cnnsimplifier.engine.runtime.NativeRuntime.initialize();
    var conf =
        new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
            .seed(11)
            .dataType(org.nd4j.linalg.api.buffer.DataType.FLOAT)
            .list()
            .layer(conv("conv1", 4))
            .layer(conv("conv2", 5))
            .layer(
                new org.deeplearning4j.nn.conf.layers.BatchNormalization.Builder()
                    .name("bn")
                    .build())
            .layer(
                new org.deeplearning4j.nn.conf.layers.DropoutLayer.Builder(0.5)
                    .name("drop")
                    .build())
            .layer(
                new org.deeplearning4j.nn.conf.layers.DenseLayer.Builder()
                    .name("dense")
                    .nOut(6)
                    .activation(org.nd4j.linalg.activations.Activation.TANH)
                    .build())
            .layer(
                new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder(
                        org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.MCXENT)
                    .name("out")
                    .nOut(TinyNets.CLASSES)
                    .activation(org.nd4j.linalg.activations.Activation.SOFTMAX)
                    .build())
            .setInputType(
                org.deeplearning4j.nn.conf.inputs.InputType.convolutional(
                    TinyNets.INPUT.height(), TinyNets.INPUT.width(), TinyNets.INPUT.channels()))
            .build();
    var network = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(conf);
    network.init();
    // Running statistics far from what a batch shows: batch statistics would normalise otherwise.
    network.getLayer("bn").getParam("mean").assign(0.3);
    var bn = network.getLayer("bn");
    if (bn.getParam("var") != null) {
      bn.getParam("var").assign(2.5);
    } else {
      bn.getParam("log10stdev").assign(Math.log10(Math.sqrt(2.5)));
    }
    return CnnModel.of(
        network, TinyNets.INPUT, org.cnnsimplifier.engine.model.ModelFormat.DL4J_ZIP);
  }

  private static org.deeplearning4j.nn.conf.layers.ConvolutionLayer conv(String name, int out) {
    return new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3)
        .name(name)
        .nOut(out)
        .activation(org.nd4j.linalg.activations.Activation.RELU)
        .build();
  }

  @Test
  void aFrozenBatchNormAndDropoutTailComputesTheLossTheEvaluatorComputes() {
    CnnModel model = batchNormDropoutTail();
    org.nd4j.linalg.dataset.DataSet batch = DATA.validation(6).next();
    double evaluated =
        Evaluator.evaluate(
                model,
                new org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator<>(
                    batch.asList(), 6),
                Cancellation.NEVER)
            .loss();
    var trainer = Trainer.network(model, "conv2", 1e-3);
    try {
      for (int i = 0; i < 3; i++) {
        // Training mode, every time: dropout would make each score different.
        assertThat(trainer.score(batch, true)).isCloseTo(evaluated, within(1e-5));
      }
    } finally {
      trainer.close();
    }
  }

  @Test
  void frozenBatchNormKeepsItsRunningStatistics() {
    assertFrozenAfter(
        batchNormDropoutTail(), "conv2", List.of("conv1", "conv2"), List.of("bn", "dense", "out"));
  }

  @Test
  void progressiveRetrainingOfAResidualGroupKeepsLayersAfterItsConsumersBitIdentical() {
    CnnModel model =
        org.cnnsimplifier.engine.surgery.GroupNets.residual(
            2, org.deeplearning4j.nn.conf.graph.ElementWiseVertex.Op.Add);
    var data = new SyntheticData(org.cnnsimplifier.engine.surgery.GroupNets.INPUT, 10, 4, 3);
    Map<String, INDArray> before = snapshot(model);
    // Group "a1" is read by b1: everything up to b1 trains, b1_bn and everything after is frozen.
    Trainer.train(model, "b1", data, ONE_EPOCH, 42, Cancellation.NEVER);
    Map<String, INDArray> after = snapshot(model);
    for (String key : before.keySet()) {
      String layer = key.substring(0, key.indexOf('/'));
      if (List.of("b1_bn", "a2", "b2", "b2_bn", "out").contains(layer)) {
        assertThat(after.get(key)).as("frozen %s", key).isEqualTo(before.get(key));
      }
    }
    for (String layer : List.of("stem", "a1", "b1")) {
      assertThat(after.get(layer + "/W"))
          .as("trained %s", layer)
          .isNotEqualTo(before.get(layer + "/W"));
    }
    assertThat(after.get("stem_bn/mean")).isNotEqualTo(before.get("stem_bn/mean"));
  }
}
