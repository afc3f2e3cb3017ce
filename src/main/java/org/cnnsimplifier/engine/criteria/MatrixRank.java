package org.cnnsimplifier.engine.criteria;

/**
 * The numerical rank of a small dense matrix, as numpy's {@code matrix_rank}: the number of
 * singular values above {@code σ_max · max(rows, cols) · ε}, with ε the float32 machine epsilon
 * because feature maps are computed in float32.
 *
 * <p>Singular values come from a one-sided Jacobi SVD in double precision: short, accurate for
 * rank-deficient matrices, and fast enough for feature maps (tens of pixels a side).
 */
final class MatrixRank {
  /** Machine epsilon of float32 (2^-23), numpy's {@code np.finfo(np.float32).eps}. */
  static final double FLOAT32_EPS = Math.ulp(1.0f);

  private static final int MAX_SWEEPS = 60;
  private static final double ORTHOGONAL = 1e-15;

  private MatrixRank() {}

  /**
   * The rank of the {@code rows × cols} matrix stored row-major in {@code values} from {@code
   * offset}.
   */
  static int rank(double[] values, int offset, int rows, int cols) {
    double[] sigma = singularValues(values, offset, rows, cols);
    double max = 0;
    for (double s : sigma) {
      max = Math.max(max, s);
    }
    double tolerance = max * Math.max(rows, cols) * FLOAT32_EPS;
    int rank = 0;
    for (double s : sigma) {
      if (s > tolerance) {
        rank++;
      }
    }
    return rank;
  }

  /** The min(rows, cols) singular values, unordered. */
  static double[] singularValues(double[] values, int offset, int rows, int cols) {
    // Work on columns of the taller orientation: n column vectors of length m, n <= m.
    boolean transpose = cols > rows;
    int m = transpose ? cols : rows;
    int n = transpose ? rows : cols;
    double[][] col = new double[n][m];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        double v = values[offset + r * cols + c];
        if (transpose) {
          col[r][c] = v;
        } else {
          col[c][r] = v;
        }
      }
    }
    orthogonalise(col);
    double[] sigma = new double[n];
    for (int j = 0; j < n; j++) {
      sigma[j] = Math.sqrt(dot(col[j], col[j]));
    }
    return sigma;
  }

  /** Rotates column pairs until all are orthogonal; their norms are then the singular values. */
  private static void orthogonalise(double[][] col) {
    int n = col.length;
    for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      boolean rotated = false;
      for (int p = 0; p < n - 1; p++) {
        for (int q = p + 1; q < n; q++) {
          double alpha = dot(col[p], col[p]);
          double beta = dot(col[q], col[q]);
          double gamma = dot(col[p], col[q]);
          if (gamma == 0 || Math.abs(gamma) <= ORTHOGONAL * Math.sqrt(alpha * beta)) {
            continue;
          }
          rotated = true;
          double zeta = (beta - alpha) / (2 * gamma);
          double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
          if (zeta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(1 + t * t);
          double s = c * t;
          double[] a = col[p];
          double[] b = col[q];
          for (int i = 0; i < a.length; i++) {
            double x = a[i];
            double y = b[i];
            a[i] = c * x - s * y;
            b[i] = s * x + c * y;
          }
        }
      }
      if (!rotated) {
        return;
      }
    }
  }

  private static double dot(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }
}
