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

  /**
   * The same samples with the classes taken in turn (first of each class, then the second of each,
   * …), each class keeping its order; so any prefix is as stratified as it can be.
   */
  SplitSamples interleaved(int numClasses) {
    java.util.List<java.util.List<Integer>> byClass = new java.util.ArrayList<>();
    for (int c = 0; c < numClasses; c++) {
      byClass.add(new java.util.ArrayList<>());
    }
    for (int i = 0; i < size(); i++) {
      byClass.get(labels[i]).add(i);
    }
    int[] newIndices = new int[size()];
    int[] newLabels = new int[size()];
    int k = 0;
    for (int round = 0; k < size(); round++) {
      for (java.util.List<Integer> positions : byClass) {
        if (round < positions.size()) {
          int i = positions.get(round);
          newIndices[k] = indices[i];
          newLabels[k] = labels[i];
          k++;
        }
      }
    }
    return new SplitSamples(reader, newIndices, newLabels);
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
