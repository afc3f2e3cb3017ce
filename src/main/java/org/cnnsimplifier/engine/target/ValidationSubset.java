package org.cnnsimplifier.engine.target;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** A fixed, seeded subset of a split, held in memory. */
final class ValidationSubset {
  private ValidationSubset() {}

  /**
   * Up to {@code size} images of the split, drawn with the seed (the same seed and split give the
   * same images), in the split's order, in batches of {@code batchSize}.
   */
  static DataSetIterator of(DataSetIterator split, int size, long seed, int batchSize) {
    split.reset();
    int total = 0;
    while (split.hasNext()) {
      total += split.next().numExamples();
    }
    List<Integer> indices = new ArrayList<>(IntStream.range(0, total).boxed().toList());
    Collections.shuffle(indices, new Random(seed));
    boolean[] chosen = new boolean[total];
    indices.subList(0, Math.min(size, total)).forEach(i -> chosen[i] = true);
    List<DataSet> images = new ArrayList<>();
    split.reset();
    int index = 0;
    while (split.hasNext()) {
      DataSet batch = split.next();
      for (int i = 0; i < batch.numExamples(); i++, index++) {
        if (chosen[index]) {
          DataSet one = batch.get(i);
          one.detach();
          images.add(one);
        }
      }
    }
    if (images.isEmpty()) {
      return new ListDataSetIterator<>(List.of(), batchSize);
    }
    return new ListDataSetIterator<>(images, batchSize);
  }

  static int count(DataSetIterator images) {
    images.reset();
    int n = 0;
    while (images.hasNext()) {
      n += images.next().numExamples();
    }
    images.reset();
    return n;
  }
}
