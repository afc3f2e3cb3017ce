package org.cnnsimplifier.engine.criteria;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.cnnsimplifier.engine.model.CnnModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

class ActivationCriteriaTest {

  /** Kernels: relu(x); relu(x − 100) (always off); relu(2x). Inputs are positive. */
  private static CnnModel oneDeadKernel() {
    return TinyNets.pointwiseClassifier(
        new double[] {1, 1, 2}, new double[] {0, -100, 0}, new double[3][2], new double[2]);
  }

  @Test
  void kernelThatIsAlwaysOffHasLowestApozScore() {
    double[] scores =
        Criterion.APOZ
            .create()
            .scores(oneDeadKernel(), "layer0", TinyNets.data(TinyNets.brightAndDark(6, 1), 4, 512));

    assertThat(scores).containsExactly(new double[] {1, 0, 1}, within(1e-9));
  }

  @Test
  void meanActivationIsTheMeanOfThePostActivationMap() {
    DataSet set = TinyNets.brightAndDark(6, 1);
    double mean = set.getFeatures().meanNumber().doubleValue();

    double[] scores =
        Criterion.MEAN_ACTIVATION
            .create()
            .scores(oneDeadKernel(), "layer0", TinyNets.data(set, 4, 512));

    assertThat(scores).containsExactly(new double[] {mean, 0, 2 * mean}, within(1e-5));
  }

  @Test
  void readsOnlyTheFirstMaxImagesInOrderAndRepeatsItself() {
    DataSet set = TinyNets.brightAndDark(8, 2);
    double firstThree =
        set.getFeatures().get(NDArrayIndex.interval(0, 3)).meanNumber().doubleValue();
    ScoringData data = TinyNets.data(set, 2, 3);
    RelevanceCriterion criterion = Criterion.MEAN_ACTIVATION.create();

    double[] first = criterion.scores(oneDeadKernel(), "layer0", data);
    double[] second = criterion.scores(oneDeadKernel(), "layer0", data);

    assertThat(first[0]).isCloseTo(firstThree, within(1e-5));
    assertThat(second).containsExactly(first);
  }

  @Test
  void readsActivationsAfterTheReluLayerThatFollowsBatchNorm() {
    CnnModel model = TinyNets.graphWithBatchNorm();
    DataSet set = TinyNets.randomImages(5, 4);

    double[] apoz = Criterion.APOZ.create().scores(model, "conv", TinyNets.data(set, 5, 512));
    double[] mean =
        Criterion.MEAN_ACTIVATION.create().scores(model, "conv", TinyNets.data(set, 5, 512));

    var relu = model.activations(set.getFeatures()).get("relu");
    for (int k = 0; k < 4; k++) {
      var channel = relu.get(NDArrayIndex.all(), NDArrayIndex.point(k)).dup();
      assertThat(mean[k]).isCloseTo(channel.meanNumber().doubleValue(), within(1e-5));
      double zeros =
          channel
              .lte(0.0)
              .castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
              .meanNumber()
              .doubleValue();
      assertThat(apoz[k]).isCloseTo(1 - zeros, within(1e-9));
      assertThat(mean[k]).isGreaterThanOrEqualTo(0);
    }
  }
}
