package org.cnnsimplifier.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.retrain.Trainer;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** The training ReLU computes DL4J's ReLU gradient and only ever lives in training networks. */
class TrainingReluTest {
  @BeforeAll
  static void enableHelpers() {
    NativeRuntime.initialize();
  }

  @Test
  void backwardPassEqualsDl4jsReluExactly() {
    Nd4j.getRandom().setSeed(3);
    for (long[] shape : new long[][] {{7, 5, 9, 9}, {33, 17}}) {
      INDArray in = Nd4j.randn(DataType.FLOAT, shape);
      // Exact zeros and the smallest values either side of zero: ReLU's gradient there is 0.
      in.putScalar(0, 0f);
      in.putScalar(1, Float.MIN_VALUE);
      in.putScalar(2, -Float.MIN_VALUE);
      INDArray epsilon = Nd4j.randn(DataType.FLOAT, shape);

      INDArray expected = new ActivationReLU().backprop(in.dup(), epsilon.dup()).getFirst();
      INDArray actual = new TrainingRelu().backprop(in.dup(), epsilon.dup()).getFirst();

      assertThat(actual.equalsWithEps(expected, 0)).as("shape %s", shape).isTrue();
      assertThat(actual.getFloat(1)).isEqualTo(epsilon.getFloat(1));
      assertThat(actual.getFloat(0)).isZero();
    }
  }

  @Test
  void trainsToTheSameParametersAsDl4jsRelu() {
    MultiLayerNetwork reference = TinyCnn.build(CNN2DFormat.NCHW);
    MultiLayerNetwork fast = reference.clone();
    FastPath.apply(reference);
    List<String> replaced = FastPath.applyForTraining(fast);
    assertThat(replaced).containsExactly("layer2", "layer4", "layer5");

    for (int step = 0; step < 8; step++) {
      DataSet batch = TinyCnn.images(24, step);
      reference.fit(batch);
      fast.fit(batch);
    }

    assertThat(fast.params().equalsWithEps(reference.params(), 1e-6)).isTrue();
  }

  @Test
  void trainerGraphsUseItInTrainableAndFrozenLayersWhileTheModelKeepsDl4jsRelu() {
    CnnModel model = TinyCnn.model(TinyCnn.build(CNN2DFormat.NCHW));

    ComputationGraph stage = Trainer.network(model, "layer0", 1e-3);

    List<String> frozenWithFastRelu = new ArrayList<>();
    for (Layer layer : stage.getLayers()) {
      if (layer instanceof FrozenLayerWithBackprop frozen
          && frozen.getInsideLayer().conf().getLayer()
              instanceof org.deeplearning4j.nn.conf.layers.BaseLayer base
          && base.getActivationFn() instanceof TrainingRelu) {
        frozenWithFastRelu.add(layer.conf().getLayer().getLayerName());
      }
    }
    assertThat(frozenWithFastRelu).contains("layer4", "layer5");
    // The user's model is untouched: what it writes out names only DL4J's own classes.
    assertThat(model.network().getLayerWiseConfigurations().toJson())
        .doesNotContain("TrainingRelu")
        .contains("ActivationReLU");
  }
}
