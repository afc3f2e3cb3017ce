package org.cnnsimplifier.engine.runtime;

import java.time.Duration;
import java.util.Arrays;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.report.InferenceSpeed;
import org.cnnsimplifier.engine.report.SpeedComparison;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Measures the real inference speed of an original and a simplified model: latency at batch 1 and
 * throughput at batch {@value #THROUGHPUT_BATCH}, on the calling thread and ND4J's current native
 * threads, interleaved so that whatever else the machine does slows both alike.
 *
 * <p>Each model is put on the {@link FastPath} and warmed up (two passes at each batch size); then
 * rounds of "original b1, simplified b1, original b64, simplified b64" run until the time budget is
 * spent or the round limits are reached, always at least one round. Figures are medians. The input
 * is seeded uniform noise of the model's input shape: the time of a CNN forward pass does not
 * depend on the pixel values.
 */
public final class SpeedMeter {
  /** The batch size of the throughput figure. */
  public static final int THROUGHPUT_BATCH = 64;

  /** The default bound on the time spent measuring (warm-up excluded). */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(2);

  private static final int MAX_LATENCY_RUNS = 50;
  private static final int MAX_THROUGHPUT_RUNS = 10;
  private static final int LATENCY_RUNS_PER_ROUND = 5;

  private SpeedMeter() {}

  /** {@link #compare(CnnModel, CnnModel, Duration)} with {@link #DEFAULT_BUDGET}. */
  public static SpeedComparison compare(CnnModel original, CnnModel simplified) {
    return compare(original, simplified, DEFAULT_BUDGET);
  }

  /**
   * Measures both models, interleaved, within about {@code budget} (one round at least).
   *
   * @throws IllegalArgumentException if the models take different input shapes
   */
  public static SpeedComparison compare(CnnModel original, CnnModel simplified, Duration budget) {
    InputShape shape = original.inputShape();
    if (!shape.equals(simplified.inputShape())) {
      throw new IllegalArgumentException(
          "the models take different inputs: " + shape + " and " + simplified.inputShape());
    }
    FastPath.apply(original);
    FastPath.apply(simplified);
    DataType type = original.dl4j().params().dataType();
    INDArray one = noise(1, shape, type);
    INDArray batch = noise(THROUGHPUT_BATCH, shape, type);
    try {
      CnnModel[] models = {original, simplified};
      for (int warm = 0; warm < 2; warm++) {
        for (CnnModel m : models) {
          time(m, one);
          time(m, batch);
        }
      }
      double[][] latency = new double[2][MAX_LATENCY_RUNS];
      double[][] throughput = new double[2][MAX_THROUGHPUT_RUNS];
      int latencyRuns = 0;
      int throughputRuns = 0;
      long deadline = System.nanoTime() + budget.toNanos();
      do {
        for (int r = 0; r < LATENCY_RUNS_PER_ROUND && latencyRuns < MAX_LATENCY_RUNS; r++) {
          for (int m = 0; m < 2; m++) {
            latency[m][latencyRuns] = time(models[m], one);
          }
          latencyRuns++;
        }
        if (throughputRuns < MAX_THROUGHPUT_RUNS) {
          for (int m = 0; m < 2; m++) {
            throughput[m][throughputRuns] = time(models[m], batch);
          }
          throughputRuns++;
        }
      } while (System.nanoTime() < deadline
          && (latencyRuns < MAX_LATENCY_RUNS || throughputRuns < MAX_THROUGHPUT_RUNS));
      InferenceSpeed[] speeds = new InferenceSpeed[2];
      for (int m = 0; m < 2; m++) {
        speeds[m] =
            new InferenceSpeed(
                median(latency[m], latencyRuns) * 1e3,
                THROUGHPUT_BATCH / median(throughput[m], throughputRuns));
      }
      return SpeedComparison.of(
          speeds[0],
          speeds[1],
          Nd4j.getEnvironment().maxThreads(),
          THROUGHPUT_BATCH,
          latencyRuns,
          throughputRuns,
          ArchitectureSummary.of(original).totalFlops(),
          ArchitectureSummary.of(simplified).totalFlops());
    } finally {
      one.close();
      batch.close();
    }
  }

  /** Seconds of one forward pass, the result's memory freed at once. */
  private static double time(CnnModel model, INDArray input) {
    long start = System.nanoTime();
    INDArray out = model.output(input);
    double seconds = (System.nanoTime() - start) / 1e9;
    if (out.closeable()) {
      out.close();
    }
    return seconds;
  }

  private static INDArray noise(int batch, InputShape shape, DataType type) {
    java.util.Random random = new java.util.Random(42);
    float[] values = new float[(int) (batch * shape.size())];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextFloat();
    }
    INDArray floats =
        Nd4j.create(values, new long[] {batch, shape.channels(), shape.height(), shape.width()});
    if (type == DataType.FLOAT) {
      return floats;
    }
    INDArray cast = floats.castTo(type);
    floats.close();
    return cast;
  }

  private static double median(double[] values, int count) {
    double[] sorted = Arrays.copyOf(values, count);
    Arrays.sort(sorted);
    return count % 2 == 1 ? sorted[count / 2] : (sorted[count / 2 - 1] + sorted[count / 2]) / 2;
  }
}
