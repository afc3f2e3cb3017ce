package org.cnnsimplifier.engine.surgery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.IntStream;
import org.cnnsimplifier.engine.InvalidPlanException;
import org.cnnsimplifier.engine.TinyNets;
import org.cnnsimplifier.engine.model.CnnModel;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

class KernelSurgeryTest {

  /** Output of the pruned network vs the original with those kernels' activations zeroed. */
  private static void assertSurgeryMatchesMask(CnnModel model, String layer, int[] kernels) {
    INDArray images = TinyNets.images(16, 7);
    CnnModel pruned = KernelSurgery.remove(model, layer, kernels);
    CnnModel masked = KernelMask.zeroed(model, layer, kernels);

    INDArray expected = masked.output(images);
    INDArray actual = pruned.output(images);
    assertThat(actual.shape()).isEqualTo(expected.shape());
    double maxDiff = actual.sub(expected).amaxNumber().doubleValue();
    assertThat(maxDiff).as("pruned vs masked output, layer %s", layer).isLessThan(1e-5);
    assertThat(pruned.numParams()).isLessThan(model.numParams());
    assertThat(((ConvolutionLayer) pruned.layerConf(layer)).getNOut())
        .isEqualTo(((ConvolutionLayer) model.layerConf(layer)).getNOut() - kernels.length);
  }

  @Test
  void prunedSequentialNetworkEqualsMaskedOriginalForRandomKernelSets() {
    CnnModel model = TinyNets.sequential(3);
    Random random = new Random(11);
    for (int trial = 0; trial < 4; trial++) {
      assertSurgeryMatchesMask(model, "conv1", randomSubset(random, 6));
      assertSurgeryMatchesMask(model, "conv2", randomSubset(random, 5));
    }
  }

  @Test
  void removingTheLastKernelsWorks() {
    CnnModel model = TinyNets.sequential(5);
    assertSurgeryMatchesMask(model, "conv1", new int[] {4, 5});
    assertSurgeryMatchesMask(model, "conv2", new int[] {4});
  }

  @Test
  void maskingChangesTheOutputSoTheComparisonIsMeaningful() {
    CnnModel model = TinyNets.sequential(3);
    INDArray images = TinyNets.images(16, 7);
    INDArray original = model.output(images);
    INDArray masked = KernelMask.zeroed(model, "conv2", new int[] {0, 2}).output(images);
    assertThat(original.sub(masked).amaxNumber().doubleValue()).isGreaterThan(1e-4);
  }

  @Test
  void slicesBatchNormalisationAndDenseRowsFromTheFlatten() {
    CnnModel model = TinyNets.sequential(3);
    CnnModel pruned = KernelSurgery.remove(model, "conv1", new int[] {1, 2});
    assertThat(pruned.layer("bn1").getParam("gamma").length()).isEqualTo(4);
    assertThat(pruned.layer("bn1").getParam("mean").length()).isEqualTo(4);
    assertThat(pruned.layer("conv2").getParam("W").shape()).containsExactly(5, 4, 2, 2);

    CnnModel second = KernelSurgery.remove(model, "conv2", new int[] {0, 1, 2});
    // conv2 output is 2 channels × 3 × 3 after the flatten: 18 rows left of 45.
    assertThat(second.layer("dense").getParam("W").shape()).containsExactly(18, 8);
  }

  @Test
  void prunesBeforeGlobalPoolingOneRowPerChannel() {
    CnnModel model = TinyNets.globalPooling(2);
    assertSurgeryMatchesMask(model, "c2", new int[] {0, 5});
    assertSurgeryMatchesMask(model, "c1", new int[] {3});
    CnnModel pruned = KernelSurgery.remove(model, "c2", new int[] {0, 5});
    assertThat(pruned.layer("out").getParam("W").shape()).containsExactly(4, 3);
  }

  @Test
  void prunesComputationGraphChains() {
    CnnModel model = TinyNets.graphChain(4);
    assertSurgeryMatchesMask(model, "conv1", new int[] {0, 5});
    assertSurgeryMatchesMask(model, "conv2", new int[] {1, 3, 4});
    assertThat(KernelSurgery.remove(model, "conv1", new int[] {0}).isGraph()).isTrue();
  }

  @Test
  void refusesLayersFeedingAResidualAddNamingTheVertex() {
    CnnModel model = TinyNets.graphWithJoin(true);
    assertThat(ChannelDependents.refusal(model, "b"))
        .hasValueSatisfying(
            why -> assertThat(why).contains("ElementWiseVertex").contains("'join'"));
    assertThatThrownBy(() -> KernelSurgery.remove(model, "a", new int[] {0}))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("ElementWiseVertex");
  }

  @Test
  void refusesLayersFeedingAConcatenation() {
    CnnModel model = TinyNets.graphWithJoin(false);
    assertThat(ChannelDependents.refusal(model, "b"))
        .hasValueSatisfying(why -> assertThat(why).contains("MergeVertex"));
  }

  @Test
  void refusesNonConvolutionLayers() {
    CnnModel model = TinyNets.sequential(1);
    assertThat(ChannelDependents.refusal(model, "dense"))
        .hasValueSatisfying(
            why -> assertThat(why).contains("DenseLayer").contains("not a 2D convolution"));
    assertThat(ChannelDependents.refusal(model, "conv1")).isEmpty();
  }

  @Test
  void rejectsBadKernelIndices() {
    CnnModel model = TinyNets.sequential(1);
    assertThatThrownBy(() -> KernelSurgery.remove(model, "conv1", new int[] {6}))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> KernelSurgery.remove(model, "conv1", new int[] {1, 1}))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> KernelSurgery.remove(model, "conv1", IntStream.range(0, 6).toArray()))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("at least one must stay");
    assertThatThrownBy(() -> KernelSurgery.remove(model, "nope", new int[] {0}))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("no layer named 'nope'");
  }

  @Test
  void prunedNetworkStillTrains() {
    CnnModel pruned = KernelSurgery.remove(TinyNets.sequential(3), "conv1", new int[] {0, 1});
    INDArray images = TinyNets.images(8, 1);
    INDArray labels = org.nd4j.linalg.factory.Nd4j.zeros(8, TinyNets.CLASSES);
    for (int i = 0; i < 8; i++) {
      labels.putScalar(i, i % TinyNets.CLASSES, 1);
    }
    double before = pruned.network().score(new org.nd4j.linalg.dataset.DataSet(images, labels));
    for (int i = 0; i < 20; i++) {
      pruned.network().fit(images, labels);
    }
    double after = pruned.network().score(new org.nd4j.linalg.dataset.DataSet(images, labels));
    assertThat(after).isLessThan(before);
  }

  private static int[] randomSubset(Random random, int count) {
    int size = 1 + random.nextInt(count - 1);
    return random.ints(0, count).distinct().limit(size).sorted().toArray();
  }
}
