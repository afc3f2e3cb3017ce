package org.cnnsimplifier.engine.target;

import java.util.Arrays;
import java.util.List;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.runtime.FastPath;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Forward-pass time on this machine as a linear function of FLOPs, calibrated by timing the
 * unpruned model and the model with every group uniformly pruned at 0.3, 0.6 and 0.9 (a cost model
 * calibrated on the worker: candidates are predicted, not each timed).
 */
final class LatencyModel {
  private static final int WARMUP = 3;
  private static final int RUNS = 9;
  private static final int[] LEVELS = {0, 3, 6, 9};

  final int batchSize;
  final double interceptMs;
  final double msPerMegaflop;
  final double originalMs;

  private LatencyModel(int batchSize, double interceptMs, double msPerMegaflop, double originalMs) {
    this.batchSize = batchSize;
    this.interceptMs = interceptMs;
    this.msPerMegaflop = msPerMegaflop;
    this.originalMs = originalMs;
  }

  static LatencyModel calibrate(
      CnnModel model,
      List<Sensitivity.Curve> curves,
      CostModel costs,
      int batchSize,
      Cancellation cancel) {
    double[] megaflops = new double[LEVELS.length];
    double[] ms = new double[LEVELS.length];
    for (int i = 0; i < LEVELS.length; i++) {
      cancel.check();
      int[] levels = new int[curves.size()];
      Arrays.fill(levels, LEVELS[i]);
      CnnModel pruned = Models.pruned(model, costs.removals(levels));
      try {
        megaflops[i] = Models.cost(pruned).flops() / 1e6;
        ms[i] = time(pruned, batchSize);
      } finally {
        Models.close(pruned);
      }
    }
    double meanX = Arrays.stream(megaflops).average().orElse(0);
    double meanY = Arrays.stream(ms).average().orElse(0);
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < ms.length; i++) {
      sxy += (megaflops[i] - meanX) * (ms[i] - meanY);
      sxx += (megaflops[i] - meanX) * (megaflops[i] - meanX);
    }
    // Timing noise can tilt the fit; time never falls as FLOPs grow.
    double slope = sxx == 0 ? 0 : Math.max(0, sxy / sxx);
    return new LatencyModel(batchSize, meanY - slope * meanX, slope, ms[0]);
  }

  /** The fit's time for a model of this many FLOPs per image. */
  double predictMs(long flops) {
    return interceptMs + msPerMegaflop * flops / 1e6;
  }

  /**
   * The largest FLOPs fraction whose predicted time meets {@code latencyMs}: 1 when the unpruned
   * model meets it, at most 0 when the fit says no FLOPs reduction can.
   */
  double flopsFraction(double latencyMs, long originalFlops) {
    if (originalMs <= latencyMs || msPerMegaflop == 0) {
      return originalMs <= latencyMs ? 1 : 0;
    }
    return Math.min(1, (latencyMs - interceptMs) / msPerMegaflop * 1e6 / originalFlops);
  }

  /** The median time of forward passes over a batch of random images, after a warm-up. */
  static double time(CnnModel model, int batchSize) {
    FastPath.apply(model);
    InputShape shape = model.inputShape();
    try (INDArray input =
        Nd4j.rand(DataType.FLOAT, batchSize, shape.channels(), shape.height(), shape.width())) {
      for (int i = 0; i < WARMUP; i++) {
        model.output(input).close();
      }
      double[] runs = new double[RUNS];
      for (int i = 0; i < RUNS; i++) {
        long start = System.nanoTime();
        model.output(input).close();
        runs[i] = (System.nanoTime() - start) / 1e6;
      }
      Arrays.sort(runs);
      return runs[RUNS / 2];
    }
  }
}
