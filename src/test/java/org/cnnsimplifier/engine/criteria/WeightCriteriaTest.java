package org.cnnsimplifier.engine.criteria;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.cnnsimplifier.engine.InvalidDatasetException;
import org.cnnsimplifier.engine.InvalidPlanException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class WeightCriteriaTest {

  /** Kernels (2×2, one input channel): all ones; one large weight; one small weight. */
  private static CnnModel craftedKernels() {
    double[] w = {1, 1, 1, 1, 3, 0, 0, 0, -0.5, 0, 0, 0};
    var conv = new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(2, 2).nOut(3).build();
    var conf =
        new org.deeplearning4j.nn.conf.NeuralNetConfiguration.Builder()
            .dataType(DataType.FLOAT)
            .list()
            .layer(conv)
            .layer(
                new org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer.Builder(
                        org.deeplearning4j.nn.conf.layers.PoolingType.AVG)
                    .build())
            .layer(
                new org.deeplearning4j.nn.conf.layers.OutputLayer.Builder()
                    .nOut(2)
                    .activation(org.nd4j.linalg.activations.Activation.SOFTMAX)
                    .build())
            .setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(4, 4, 1))
            .build();
    var net = new org.deeplearning4j.nn.multilayer.MultiLayerNetwork(conf);
    net.init();
    net.getLayer(0).setParam("W", Nd4j.create(w, new long[] {3, 1, 2, 2}, DataType.FLOAT));
    return TinyNets.wrap(net, 1, 4);
  }

  @Test
  void l1SumsAbsoluteWeightsPerKernel() {
    double[] scores = Criterion.L1.create().scores(craftedKernels(), "layer0", ScoringData.none());

    assertThat(scores).containsExactly(new double[] {4, 3, 0.5}, within(1e-6));
  }

  @Test
  void l2RanksTheSingleLargeWeightAboveManySmallOnes() {
    double[] scores = Criterion.L2.create().scores(craftedKernels(), "layer0", null);

    assertThat(scores).containsExactly(new double[] {2, 3, 0.5}, within(1e-6));
  }

  @ParameterizedTest
  @EnumSource(Criterion.class)
  void rejectsLayerThatIsNotAConvolution(Criterion criterion) {
    CnnModel model =
        TinyNets.pointwiseClassifier(
            new double[] {1}, new double[] {0}, new double[][] {{1, -1}}, new double[2]);
    ScoringData data = TinyNets.data(TinyNets.brightAndDark(4, 1), 2, 4);

    assertThatThrownBy(() -> criterion.create().scores(model, "layer1", data))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("'layer1'")
        .hasMessageContaining("GlobalPoolingLayer");
    assertThatThrownBy(() -> criterion.create().scores(model, "nosuch", data))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("'nosuch'");
  }

  @ParameterizedTest
  @EnumSource(Criterion.class)
  void dataDrivenCriteriaAskForImages(Criterion criterion) {
    CnnModel model =
        TinyNets.pointwiseClassifier(
            new double[] {1}, new double[] {0}, new double[][] {{1, -1}}, new double[2]);
    if (criterion.needsData()) {
      assertThatThrownBy(() -> criterion.create().scores(model, "layer0", ScoringData.none()))
          .isInstanceOf(InvalidDatasetException.class)
          .hasMessageContaining(criterion.name());
    } else {
      assertThat(criterion.create().scores(model, "layer0", ScoringData.none())).hasSize(1);
    }
  }

  @Test
  void onlyStatisticsOfOneForwardPassAreCheap() {
    assertThat(Criterion.values())
        .filteredOn(Criterion::isCheap)
        .containsExactly(Criterion.L1, Criterion.L2, Criterion.APOZ, Criterion.MEAN_ACTIVATION);
    assertThat(Criterion.values())
        .filteredOn(c -> !c.needsData())
        .containsExactly(Criterion.L1, Criterion.L2);
  }
}
