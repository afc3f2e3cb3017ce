package org.cnnsimplifier.engine.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Splits one split into two, class by class, with a seed: each class gives {@code fraction} of its
 * samples (rounded, at least one when the class has two or more, never all of them) to the second
 * part. Both parts keep the original order, so the result depends only on the input and the seed.
 */
final class StratifiedSplitter {

  private StratifiedSplitter() {}

  /** [kept, taken]. */
  static SplitSamples[] split(SplitSamples all, int numClasses, double fraction, long seed) {
    List<List<Integer>> byClass = new ArrayList<>();
    for (int c = 0; c < numClasses; c++) {
      byClass.add(new ArrayList<>());
    }
    for (int i = 0; i < all.size(); i++) {
      byClass.get(all.labels()[i]).add(i);
    }
    boolean[] taken = new boolean[all.size()];
    Random random = new Random(seed);
    int takenCount = 0;
    for (List<Integer> positions : byClass) {
      int n = positions.size();
      int take = (int) Math.round(n * fraction);
      if (fraction > 0 && n >= 2) {
        take = Math.max(1, Math.min(take, n - 1));
      } else if (n < 2) {
        take = 0;
      }
      // Partial Fisher-Yates: the first `take` positions become a uniform random sample.
      for (int i = 0; i < take; i++) {
        int j = i + random.nextInt(n - i);
        Integer swap = positions.get(i);
        positions.set(i, positions.get(j));
        positions.set(j, swap);
        taken[positions.get(i)] = true;
      }
      takenCount += take;
    }
    return new SplitSamples[] {
      select(all, taken, false, all.size() - takenCount), select(all, taken, true, takenCount)
    };
  }

  private static SplitSamples select(SplitSamples all, boolean[] taken, boolean want, int size) {
    int[] indices = new int[size];
    int[] labels = new int[size];
    int k = 0;
    for (int i = 0; i < all.size(); i++) {
      if (taken[i] == want) {
        indices[k] = all.indices()[i];
        labels[k] = all.labels()[i];
        k++;
      }
    }
    return new SplitSamples(all.reader(), indices, labels);
  }
}
