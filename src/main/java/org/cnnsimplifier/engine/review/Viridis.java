package org.cnnsimplifier.engine.review;

/**
 * The viridis colour map (perceptually uniform, readable in grey and by most colour-blind viewers),
 * interpolated between eleven of its anchor colours.
 */
final class Viridis {
  private static final int[][] ANCHORS = {
    {68, 1, 84},
    {72, 36, 117},
    {65, 68, 135},
    {53, 95, 141},
    {42, 120, 142},
    {33, 145, 140},
    {34, 168, 132},
    {68, 191, 112},
    {122, 209, 81},
    {189, 223, 38},
    {253, 231, 37}
  };

  private Viridis() {}

  /** The RGB colour of {@code t} in [0, 1] (clamped). */
  static int rgb(double t) {
    double x = Math.max(0, Math.min(1, Double.isNaN(t) ? 0 : t)) * (ANCHORS.length - 1);
    int i = Math.min((int) x, ANCHORS.length - 2);
    double f = x - i;
    int r = (int) Math.round(ANCHORS[i][0] + f * (ANCHORS[i + 1][0] - ANCHORS[i][0]));
    int g = (int) Math.round(ANCHORS[i][1] + f * (ANCHORS[i + 1][1] - ANCHORS[i][1]));
    int b = (int) Math.round(ANCHORS[i][2] + f * (ANCHORS[i + 1][2] - ANCHORS[i][2]));
    return (r << 16) | (g << 8) | b;
  }
}
