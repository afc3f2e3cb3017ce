package org.cnnsimplifier.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.surgery.ChannelGraph;

/**
 * Which of each group's original kernels are still there. Surgery renumbers a group's channels
 * 0..n-1; reports, checkpoints and people speak of the original indices, and this translates.
 */
final class KernelLedger {
  private final Map<String, List<Integer>> remaining = new LinkedHashMap<>();

  KernelLedger(Map<String, List<Integer>> remaining) {
    remaining.forEach((layer, kernels) -> this.remaining.put(layer, new ArrayList<>(kernels)));
  }

  /** The original indices of the layer's kernels still present, in current order. */
  List<Integer> remaining(String layer, CnnModel model) {
    return remaining.computeIfAbsent(
        layer,
        name ->
            new ArrayList<>(
                IntStream.range(0, ChannelGraph.of(model).prunable(name).channels())
                    .boxed()
                    .toList()));
  }

  /** Current indices of the given original kernels, sorted. */
  int[] currentIndices(String layer, CnnModel model, List<Integer> originalKernels) {
    List<Integer> alive = remaining(layer, model);
    return originalKernels.stream()
        .mapToInt(
            k -> {
              int index = alive.indexOf(k);
              if (index < 0) {
                throw new InvalidPlanException(
                    "kernel " + k + " of layer '" + layer + "' was already removed");
              }
              return index;
            })
        .sorted()
        .toArray();
  }

  /** Original indices of the given current kernels. */
  List<Integer> originalIndices(String layer, CnnModel model, int[] current) {
    List<Integer> alive = remaining(layer, model);
    List<Integer> result = new ArrayList<>();
    for (int k : current) {
      result.add(alive.get(k));
    }
    return result;
  }

  /** Records that these original kernels were removed. */
  void removed(String layer, List<Integer> originalKernels) {
    remaining.get(layer).removeAll(originalKernels);
  }

  /** A copy, for a checkpoint. */
  Map<String, List<Integer>> snapshot() {
    Map<String, List<Integer>> copy = new LinkedHashMap<>();
    remaining.forEach((layer, kernels) -> copy.put(layer, List.copyOf(kernels)));
    return copy;
  }
}
