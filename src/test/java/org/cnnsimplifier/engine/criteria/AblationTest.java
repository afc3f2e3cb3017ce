package org.cnnsimplifier.engine.criteria;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.cnnsimplifier.engine.model.CnnModel;
import org.junit.jupiter.api.Test;

class AblationTest {
  private static final int IMAGES = 8;

  @Test
  void kernelTheOutputDependsOnScoresItsAccuracyDropAndTheOtherScoresZero() {
    // Only kernel 0 reaches the classifier: bright images (mean > 0.5) are class 0.
    CnnModel model =
        TinyNets.pointwiseClassifier(
            new double[] {1, 1},
            new double[2],
            new double[][] {{5, -5}, {0, 0}},
            new double[] {-2.5, 2.5});
    var before = model.network().params().dup();

    double[] scores =
        Criterion.ABLATION
            .create()
            .scores(model, "layer0", TinyNets.data(TinyNets.brightAndDark(IMAGES, 1), 3, 512));

    // Without kernel 0 every image is called dark: half of them are wrong.
    assertThat(scores[0]).isCloseTo(0.5, within(0.5 / IMAGES));
    assertThat(scores[1]).isZero();
    assertThat(model.network().params()).isEqualTo(before);
  }

  @Test
  void lossRiseOrdersKernelsWhoseAccuracyDropIsEqual() {
    // Kernel 1 adds confidence but never decides a class on its own.
    CnnModel model =
        TinyNets.pointwiseClassifier(
            new double[] {1, 1},
            new double[2],
            new double[][] {{5, -5}, {1, -1}},
            new double[] {-3, 3});

    double[] scores =
        Criterion.ABLATION
            .create()
            .scores(model, "layer0", TinyNets.data(TinyNets.brightAndDark(IMAGES, 1), 8, 512));

    assertThat(scores[1]).isGreaterThan(0).isLessThan(0.5 / IMAGES);
    assertThat(scores[0]).isGreaterThan(scores[1]);
  }
}
