package org.cnnsimplifier.engine.criteria;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.cnnsimplifier.engine.model.CnnModel;
import org.junit.jupiter.api.Test;

class HRankTest {

  @Test
  void zeroMatrixHasRankZero() {
    assertThat(MatrixRank.rank(new double[12], 0, 3, 4)).isZero();
  }

  @Test
  void constantMatrixHasRankOne() {
    double[] values = new double[30];
    java.util.Arrays.fill(values, 0.7);

    assertThat(MatrixRank.rank(values, 0, 5, 6)).isEqualTo(1);
  }

  @Test
  void randomMatrixHasFullRankInEitherOrientation() {
    Random random = new Random(7);
    double[] values = new double[35];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextGaussian();
    }

    assertThat(MatrixRank.rank(values, 0, 5, 7)).isEqualTo(5);
    assertThat(MatrixRank.rank(values, 0, 7, 5)).isEqualTo(5);
  }

  @Test
  void sumOfTwoFloatOuterProductsHasRankTwo() {
    Random random = new Random(11);
    int n = 8;
    float[][] u = new float[2][n];
    float[][] v = new float[2][n];
    for (int r = 0; r < 2; r++) {
      for (int i = 0; i < n; i++) {
        u[r][i] = (float) random.nextGaussian();
        v[r][i] = (float) random.nextGaussian();
      }
    }
    double[] values = new double[n * n + 3];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        // float arithmetic, as in a network: rounding must not count as extra rank
        values[3 + i * n + j] = u[0][i] * v[0][j] + u[1][i] * v[1][j];
      }
    }

    assertThat(MatrixRank.rank(values, 3, n, n)).isEqualTo(2);
    assertThat(MatrixRank.singularValues(values, 3, n, n)).hasSize(n);
  }

  @Test
  void scoresConstantMapsOneRandomMapsFullAndDeadMapsZero() {
    // Kernels on 4×4 inputs: relu(0·x + 1) = 1 everywhere; relu(x) = x (inputs are positive,
    // noisy); relu(0·x) = 0.
    CnnModel model =
        TinyNets.pointwiseClassifier(
            new double[] {0, 1, 0}, new double[] {1, 0, 0}, new double[3][2], new double[2]);

    double[] scores =
        Criterion.HRANK
            .create()
            .scores(model, "layer0", TinyNets.data(TinyNets.brightAndDark(6, 3), 4, 512));

    assertThat(scores).containsExactly(new double[] {1, 4, 0}, within(1e-12));
  }

  @Test
  void scoresGraphModelsAtTheActivationPoint() {
    CnnModel model = TinyNets.graphWithBatchNorm();

    double[] scores =
        Criterion.HRANK
            .create()
            .scores(model, "conv", TinyNets.data(TinyNets.randomImages(3, 5), 2, 512));

    assertThat(scores).hasSize(4);
    for (double s : scores) {
      assertThat(s).isBetween(0.0, 4.0);
    }
  }
}
