package org.cnnsimplifier.engine.data;

/**
 * The samples of one split: indices understood by {@code reader}, and their class labels.
 *
 * @param reader reads a sample by index
 * @param indices sample indices, in the split's fixed order
 * @param labels class label of each sample, parallel to {@code indices}
 */
record SplitSamples(SampleReader reader, int[] indices, int[] labels) {

  SplitSamples {
    if (indices.length != labels.length) {
      throw new IllegalArgumentException(indices.length + " indices but " + labels.length);
    }
  }

  int size() {
    return indices.length;
  }

  /** Number of samples per class label. */
  int[] countsPerClass(int numClasses) {
    int[] counts = new int[numClasses];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }
}
