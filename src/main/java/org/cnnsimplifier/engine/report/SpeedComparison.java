package org.cnnsimplifier.engine.report;

/**
 * The original and the simplified model's measured inference speed, side by side with their cost in
 * FLOPs. Both were measured in the same process, on the same threads, interleaved (original,
 * simplified, original, ...), in inference mode on the same random images, after a warm-up.
 *
 * @param threads the native (ND4J/OpenMP) threads both models ran on
 * @param throughputBatch the batch size of the throughput figures (64)
 * @param latencyRuns timed batch-1 passes per model
 * @param throughputRuns timed passes per model at {@code throughputBatch}
 * @param latencySpeedUp original latency / simplified latency (above 1: the result is faster)
 * @param throughputSpeedUp simplified throughput / original throughput
 * @param flopReduction original FLOPs / simplified FLOPs, the speed-up the FLOPs promise
 */
public record SpeedComparison(
    InferenceSpeed original,
    InferenceSpeed simplified,
    int threads,
    int throughputBatch,
    int latencyRuns,
    int throughputRuns,
    double latencySpeedUp,
    double throughputSpeedUp,
    double flopReduction) {

  /** The comparison of two measurements, with its ratios. */
  public static SpeedComparison of(
      InferenceSpeed original,
      InferenceSpeed simplified,
      int threads,
      int throughputBatch,
      int latencyRuns,
      int throughputRuns,
      long originalFlops,
      long simplifiedFlops) {
    return new SpeedComparison(
        original,
        simplified,
        threads,
        throughputBatch,
        latencyRuns,
        throughputRuns,
        original.latencyMillis() / simplified.latencyMillis(),
        simplified.imagesPerSecond() / original.imagesPerSecond(),
        simplifiedFlops == 0 ? 0 : (double) originalFlops / simplifiedFlops);
  }
}
