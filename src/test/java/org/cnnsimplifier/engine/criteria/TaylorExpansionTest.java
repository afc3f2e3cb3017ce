package org.cnnsimplifier.engine.criteria;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.cnnsimplifier.engine.model.CnnModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

class TaylorExpansionTest {

  private static double norm(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v * v;
    }
    return Math.sqrt(sum);
  }

  @Test
  void kernelCutOffFromTheLossScoresZeroAndScoresHaveUnitNorm() {
    // Kernels 0 and 2 compute the same map; the classifier weighs kernel 0 by 10 (5 − −5),
    // kernel 2 by 4, kernel 1 by nothing.
    CnnModel model =
        TinyNets.pointwiseClassifier(
            new double[] {1, 1, 1},
            new double[3],
            new double[][] {{5, -5}, {0, 0}, {2, -2}},
            new double[] {-3.5, 3.5});

    double[] scores =
        Criterion.TAYLOR
            .create()
            .scores(model, "layer0", TinyNets.data(TinyNets.brightAndDark(6, 1), 4, 512));

    assertThat(scores[1]).isZero();
    assertThat(scores[0] / scores[2]).isCloseTo(2.5, within(1e-4));
    assertThat(norm(scores)).isCloseTo(1.0, within(1e-9));
  }

  @Test
  void batchSizeDoesNotChangeScores() {
    // relu(x) is large on bright images, relu(1 − x) on dark ones: images weigh kernels
    // differently.
    CnnModel model =
        TinyNets.pointwiseClassifier(
            new double[] {1, -1},
            new double[] {0, 1},
            new double[][] {{5, -5}, {-3, 3}},
            new double[2]);
    DataSet set = TinyNets.brightAndDark(4, 2);

    double[] oneByOne =
        Criterion.TAYLOR.create().scores(model, "layer0", TinyNets.data(set, 1, 512));
    double[] threeThenOne =
        Criterion.TAYLOR.create().scores(model, "layer0", TinyNets.data(set, 3, 512));

    assertThat(threeThenOne).containsExactly(oneByOne, within(1e-6));
  }

  @Test
  void matchesTheFiniteDifferenceOfTheLossWhenAKernelIsScaled() {
    // relu is positively homogeneous: scaling kernel k's weights and bias by (1 + e) scales its
    // activation map by (1 + e), so dLoss/de = sum over positions of activation × gradient.
    CnnModel model =
        TinyNets.pointwiseClassifier(
            new double[] {1, -0.5, 2},
            new double[] {0, 0.8, -0.2},
            new double[][] {{1.5, -0.5}, {-2, 1}, {0.3, 0.7}},
            new double[] {0.1, -0.1});
    DataSet image = TinyNets.brightAndDark(1, 4);

    double[] scores = Criterion.TAYLOR.create().scores(model, "layer0", TinyNets.data(image, 1, 1));

    double[] expected = new double[3];
    double e = 1e-2;
    for (int k = 0; k < 3; k++) {
      double slope =
          (loss(scaled(model, k, 1 + e), image) - loss(scaled(model, k, 1 - e), image)) / (2 * e);
      expected[k] = Math.abs(slope) / 16; // mean over the 4×4 positions
    }
    double n = norm(expected);
    for (int k = 0; k < 3; k++) {
      assertThat(scores[k]).isCloseTo(expected[k] / n, within(1e-3));
    }
  }

  @Test
  void scoresThroughBatchNormActivationAndFlattenReproduciblyWithoutChangingTheModel() {
    CnnModel model = TinyNets.sequentialWithBatchNorm();
    ScoringData data = TinyNets.data(TinyNets.randomImages(6, 8), 4, 512);

    INDArray before = model.network().params().dup();

    // layer1's gradient flows back through the flatten; layer0's through batch norm too.
    double[] first = Criterion.TAYLOR.create().scores(model, "layer1", data);
    double[] second = Criterion.TAYLOR.create().scores(model, "layer1", data);
    double[] early = Criterion.TAYLOR.create().scores(model, "layer0", data);

    assertThat(first).hasSize(4);
    assertThat(norm(first)).isCloseTo(1.0, within(1e-9));
    assertThat(second).containsExactly(first);
    assertThat(early).hasSize(3);
    assertThat(norm(early)).isCloseTo(1.0, within(1e-9));
    assertThat(model.network().params()).isEqualTo(before);
  }

  @Test
  void scoresComputationGraphsAsTheirSequentialTwinWithWorkspacesOn() {
    CnnModel sequential = TinyNets.heldOutPattern();
    CnnModel graph = TinyNets.asGraph(sequential);
    ScoringData data = TinyNets.data(TinyNets.randomImages(10, 4), 4, 512);
    for (String layer : new String[] {"c1", "c2", "dense"}) {
      double[] fromSequential = Criterion.TAYLOR.create().scores(sequential, layer, data);
      double[] fromGraph = Criterion.TAYLOR.create().scores(graph, layer, data);
      assertThat(fromSequential).as(layer).doesNotContain(Double.NaN);
      assertThat(norm(fromSequential)).as(layer).isCloseTo(1.0, within(1e-9));
      assertThat(fromGraph).as(layer).containsExactly(fromSequential, within(1e-6));
    }
  }

  @Test
  void howTheSampleIsCutIntoBatchesDoesNotChangeScoresWithBatchNormInTheTail() {
    CnnModel model = TinyNets.heldOutPattern();
    DataSet images = TinyNets.randomImages(15, 5);
    // 15 images: one batch, or 7 + 7 + 1 (a last batch of one image).
    double[] whole = Criterion.TAYLOR.create().scores(model, "c1", TinyNets.data(images, 15, 512));
    double[] cut = Criterion.TAYLOR.create().scores(model, "c1", TinyNets.data(images, 7, 512));
    assertThat(cut).containsExactly(whole, within(1e-6));
  }

  @Test
  void scoresCoupledGroupsOnEveryMember() {
    CnnModel model =
        org.cnnsimplifier.engine.surgery.GroupNets.residual(
            4, org.deeplearning4j.nn.conf.graph.ElementWiseVertex.Op.Add);
    DataSet images = randomImages(model, 8);
    double[] scores = Criterion.TAYLOR.create().scores(model, "b1", TinyNets.data(images, 4, 512));
    assertThat(scores).hasSize(6).doesNotContain(Double.NaN);
    assertThat(java.util.Arrays.stream(scores).max().orElseThrow()).isPositive();
  }

  private static DataSet randomImages(CnnModel model, int count) {
    var shape = model.inputShape();
    INDArray features =
        org.nd4j.linalg.factory.Nd4j.rand(
                9, new long[] {count, shape.channels(), shape.height(), shape.width()})
            .castTo(DataType.FLOAT);
    INDArray labels =
        org.nd4j.linalg.factory.Nd4j.create(DataType.FLOAT, count, model.numClasses());
    for (int i = 0; i < count; i++) {
      labels.putScalar(i, i % model.numClasses(), 1.0);
    }
    return new DataSet(features, labels);
  }

  private static CnnModel scaled(CnnModel model, int kernel, double factor) {
    CnnModel copy = model.copy();
    var conv = copy.network().getLayer(0);
    INDArray w = conv.getParam("W").dup();
    INDArray b = conv.getParam("b").dup();
    w.putScalar(kernel, w.getDouble(kernel) * factor);
    b.putScalar(
        kernel, b.getDouble(kernel) * factor); // linear index: the bias may be [n] or [1, n]
    conv.setParam("W", w);
    conv.setParam("b", b);
    return copy;
  }

  private static double loss(CnnModel model, DataSet image) {
    INDArray p = model.output(image.getFeatures()).castTo(DataType.DOUBLE);
    int label = image.getLabels().argMax(1).getInt(0);
    return -Math.log(p.getDouble(0, label));
  }
}
