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
  /** Separates the held-out slice's seed from the validation split's. */
  private static final long HELD_OUT_SEED = 0x9E3779B97F4A7C15L;

  private StratifiedSplitter() {}

  /**
   * A data set's splits: the ones it came with, and those carved from its training images.
   *
   * @param test {@code null} when there is no test split
   * @param testHeldOut whether {@code test} was held out of the training images
   */
  record Splits(
      SplitSamples train, SplitSamples validation, SplitSamples test, boolean testHeldOut) {}

  /**
   * The data set's splits, completed from its training images as the options say: without a test
   * split, {@link DatasetOptions#testFraction()} of each class is held out first (seeded apart from
   * the validation split); without a validation split, then, {@link
   * DatasetOptions#validationFraction()} of each class's original count moves to validation. Both
   * shares are of the training images as given, so 0.1 and 0.1 leave 80% for training; the same
   * images and options always give the same three splits. The validation split takes the classes in
   * turn, so its first images (what criteria score on) are stratified.
   *
   * @param validation the data set's own validation split, or {@code null}
   * @param test the data set's own test split, or {@code null}
   */
  static Splits complete(
      SplitSamples train,
      SplitSamples validation,
      SplitSamples test,
      int numClasses,
      DatasetOptions options) {
    boolean heldOut = false;
    if (test == null && options.testFraction() > 0) {
      SplitSamples[] parts =
          split(train, numClasses, options.testFraction(), options.seed() ^ HELD_OUT_SEED);
      train = parts[0];
      test = parts[1];
      heldOut = true;
    }
    if (validation == null) {
      // The share of what is left that makes validationFraction of the images as given.
      double share =
          heldOut
              ? options.validationFraction() / (1 - options.testFraction())
              : options.validationFraction();
      SplitSamples[] parts = split(train, numClasses, share, options.seed());
      train = parts[0];
      validation = parts[1];
    }
    // Criteria score on the first validation images: classes in turn, so that sample is
    // stratified even where the images come class folder by class folder.
    return new Splits(train, validation.interleaved(numClasses), test, heldOut);
  }

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
