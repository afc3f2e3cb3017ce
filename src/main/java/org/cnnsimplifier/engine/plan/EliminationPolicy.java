package org.cnnsimplifier.engine.plan;

import java.util.List;
import java.util.Map;

/**
 * Which kernels of a layer go, given their relevance scores (method.md, "Elimination policies"). A
 * layer is never emptied: every policy keeps at least one kernel.
 */
public sealed interface EliminationPolicy {

  /** A short description for reports, e.g. "ratio 0.5". */
  String describe();

  /**
   * Eliminate this fraction of each layer's kernels, rounded to the nearest count.
   *
   * @param ratio the fraction for every layer, in [0, 1)
   * @param perLayer overrides by layer name
   */
  record Ratio(double ratio, Map<String, Double> perLayer) implements EliminationPolicy {
    public Ratio {
      perLayer = Map.copyOf(perLayer);
      checkRatio("ratio", ratio);
      perLayer.forEach((layer, r) -> checkRatio("ratio for layer '" + layer + "'", r));
    }

    public Ratio(double ratio) {
      this(ratio, Map.of());
    }

    @Override
    public String describe() {
      return perLayer.isEmpty() ? "ratio " + ratio : "ratio " + ratio + " " + perLayer;
    }

    /** The fraction for the named layer. */
    public double ratioFor(String layer) {
      return perLayer.getOrDefault(layer, ratio);
    }

    private static void checkRatio(String what, double value) {
      if (!(value >= 0 && value < 1)) {
        throw new IllegalArgumentException(what + " must be in [0, 1), got " + value);
      }
    }
  }

  /**
   * Eliminate kernels whose score divided by the layer's largest absolute score is below the
   * threshold.
   */
  record Threshold(double threshold) implements EliminationPolicy {
    public Threshold {
      if (!(threshold >= 0 && threshold <= 1)) {
        throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
      }
    }

    @Override
    public String describe() {
      return "threshold " + threshold;
    }
  }

  /**
   * Eliminate in score order while validation accuracy before retraining stays within {@code
   * maxDrop} (absolute, e.g. 0.02 = two points) of the layer's starting accuracy.
   */
  record MaxAccuracyDrop(double maxDrop) implements EliminationPolicy {
    public MaxAccuracyDrop {
      if (!(maxDrop >= 0 && maxDrop <= 1)) {
        throw new IllegalArgumentException("maxDrop must be in [0, 1], got " + maxDrop);
      }
    }

    @Override
    public String describe() {
      return "max accuracy drop " + maxDrop;
    }
  }

  /** Exactly the kernels named, by layer (what a person's selection produces). */
  record Manual(Map<String, List<Integer>> kernels) implements EliminationPolicy {
    public Manual {
      kernels = Map.copyOf(kernels);
    }

    @Override
    public String describe() {
      return "manual";
    }

    public List<Integer> kernelsFor(String layer) {
      return kernels.getOrDefault(layer, List.of());
    }
  }
}
