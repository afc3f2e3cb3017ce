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

  /**
   * Meet a target the user states — the fraction of parameters and/or FLOPs kept, or a latency on
   * the worker — with the least predicted accuracy loss: a sensitivity analysis prunes each group
   * alone at ratios 0.1…0.9 (validation accuracy without retraining on a seeded subset), an
   * allocation picks per-group ratios that meet the target, and the plan's strategy then runs with
   * those ratios (README, "Simplify to a target").
   *
   * @param params fraction of the parameters kept, in (0, 1], or null
   * @param flops fraction of the FLOPs kept, in (0, 1], or null
   * @param latencyMs forward-pass time on the worker for a batch of {@code batchSize}, or null
   * @param batchSize the batch the latency is for (1 when not given)
   * @param images validation images the sensitivity analysis evaluates on
   */
  record Target(Double params, Double flops, Double latencyMs, int batchSize, int images)
      implements EliminationPolicy {
    /** Images the sensitivity analysis evaluates on when a job does not say. */
    public static final int DEFAULT_IMAGES = 1000;

    public Target {
      if (params == null && flops == null && latencyMs == null) {
        throw new IllegalArgumentException(
            "a target policy needs params, flops or latencyMs (the share kept, e.g. 0.25)");
      }
      checkFraction("params", params);
      checkFraction("flops", flops);
      if (latencyMs != null && !(latencyMs > 0 && Double.isFinite(latencyMs))) {
        throw new IllegalArgumentException("latencyMs must be > 0, got " + latencyMs);
      }
      if (batchSize <= 0) {
        throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
      }
      if (images <= 0) {
        throw new IllegalArgumentException("images must be > 0, got " + images);
      }
    }

    /** A target on parameters and/or FLOPs, evaluated on the default number of images. */
    public static Target of(Double params, Double flops) {
      return new Target(params, flops, null, 1, DEFAULT_IMAGES);
    }

    @Override
    public String describe() {
      StringBuilder text = new StringBuilder("target");
      if (params != null) {
        text.append(" params ").append(params);
      }
      if (flops != null) {
        text.append(" flops ").append(flops);
      }
      if (latencyMs != null) {
        text.append(" latency ").append(latencyMs).append(" ms at batch ").append(batchSize);
      }
      return text.toString();
    }

    private static void checkFraction(String what, Double value) {
      if (value != null && !(value > 0 && value <= 1)) {
        throw new IllegalArgumentException(
            what + " is the share kept and must be in (0, 1], got " + value);
      }
    }
  }
}
