package org.cnnsimplifier.engine.plan;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;
import org.cnnsimplifier.engine.InvalidPlanException;

/** Applies an {@link EliminationPolicy} to one layer's scores. */
public final class KernelSelection {
  private KernelSelection() {}

  /**
   * Kernel indices in elimination order: lowest score first, ties broken by index so the order is
   * reproducible.
   */
  public static int[] eliminationOrder(double[] scores) {
    return IntStream.range(0, scores.length)
        .boxed()
        .sorted(Comparator.<Integer>comparingDouble(k -> scores[k]).thenComparingInt(k -> k))
        .mapToInt(Integer::intValue)
        .toArray();
  }

  /**
   * The kernels to eliminate from a layer, sorted ascending; never all of them.
   *
   * @param layer the layer's name (for per-layer settings and messages)
   * @param scores one score per kernel, higher = more relevant; null only for a manual policy
   * @param accuracyWithout validation accuracy when the given kernels are masked (only called by
   *     {@link EliminationPolicy.MaxAccuracyDrop}); with an empty array, the starting accuracy
   */
  public static int[] select(
      EliminationPolicy policy,
      String layer,
      int kernels,
      double[] scores,
      ToDoubleFunction<int[]> accuracyWithout) {
    return select(
        policy, layer, kernels, chosen -> chosen.length < kernels, scores, accuracyWithout);
  }

  /**
   * As {@link #select(EliminationPolicy, String, int, double[], ToDoubleFunction)}, removing only
   * sets that {@code allowed} accepts: candidates that would make the set unacceptable (empty a
   * coupled layer, leave a separable convolution one channel) are passed over.
   */
  public static int[] select(
      EliminationPolicy policy,
      String layer,
      int kernels,
      Predicate<int[]> allowed,
      double[] scores,
      ToDoubleFunction<int[]> accuracyWithout) {
    int[] chosen;
    if (policy instanceof EliminationPolicy.Manual manual) {
      chosen = manual(manual.kernelsFor(layer), layer, kernels);
    } else if (policy instanceof EliminationPolicy.Ratio ratio) {
      int count = (int) Math.round(ratio.ratioFor(layer) * kernels);
      chosen = take(eliminationOrder(scores), count, allowed);
    } else if (policy instanceof EliminationPolicy.Target) {
      throw new IllegalStateException(
          "a target policy is turned into per-layer ratios before kernels are selected");
    } else if (policy instanceof EliminationPolicy.Threshold threshold) {
      chosen = belowThreshold(scores, threshold.threshold(), allowed);
    } else {
      EliminationPolicy.MaxAccuracyDrop drop = (EliminationPolicy.MaxAccuracyDrop) policy;
      chosen = withinDrop(scores, drop.maxDrop(), accuracyWithout, allowed);
    }
    int[] sorted = chosen.clone();
    Arrays.sort(sorted);
    return sorted;
  }

  private static int[] manual(List<Integer> chosen, String layer, int kernels) {
    int[] result = chosen.stream().mapToInt(Integer::intValue).sorted().toArray();
    for (int i = 0; i < result.length; i++) {
      if (result[i] < 0 || result[i] >= kernels) {
        throw new InvalidPlanException(
            "kernel "
                + result[i]
                + " chosen for layer '"
                + layer
                + "' is out of range 0.."
                + (kernels - 1));
      }
      if (i > 0 && result[i] == result[i - 1]) {
        throw new InvalidPlanException(
            "kernel " + result[i] + " is chosen twice for layer '" + layer + "'");
      }
    }
    if (result.length >= kernels) {
      throw new InvalidPlanException(
          "all "
              + kernels
              + " kernels of layer '"
              + layer
              + "' are chosen; at least one must stay");
    }
    return result;
  }

  /** Up to {@code count} candidates in order, each kept only if the set stays allowed. */
  private static int[] take(int[] order, int count, Predicate<int[]> allowed) {
    int[] taken = new int[Math.min(count, order.length)];
    int size = 0;
    for (int k = 0; k < order.length && size < taken.length; k++) {
      int[] next = Arrays.copyOf(taken, size + 1);
      next[size] = order[k];
      if (allowed.test(next)) {
        taken[size++] = order[k];
      }
    }
    return Arrays.copyOf(taken, size);
  }

  private static int[] belowThreshold(double[] scores, double threshold, Predicate<int[]> allowed) {
    double max = Arrays.stream(scores).map(Math::abs).max().orElse(0);
    int[] order = eliminationOrder(scores);
    int below = 0;
    while (below < order.length && (max == 0 ? 0 : scores[order[below]] / max) < threshold) {
      below++;
    }
    return take(Arrays.copyOf(order, below), below, allowed);
  }

  private static int[] withinDrop(
      double[] scores,
      double maxDrop,
      ToDoubleFunction<int[]> accuracyWithout,
      Predicate<int[]> allowed) {
    int[] order = eliminationOrder(scores);
    double start = accuracyWithout.applyAsDouble(new int[0]);
    int[] chosen = new int[0];
    for (int k : order) {
      int[] next = Arrays.copyOf(chosen, chosen.length + 1);
      next[chosen.length] = k;
      if (!allowed.test(next)) {
        continue;
      }
      if (start - accuracyWithout.applyAsDouble(next) > maxDrop) {
        break;
      }
      chosen = next;
    }
    return chosen;
  }
}
