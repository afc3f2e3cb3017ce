package org.cnnsimplifier.engine.retrain;

import java.util.Optional;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The labelled images a simplification trains, scores and evaluates on. Implemented by the data
 * sets of {@code engine.data}; tests may use in-memory data.
 */
public interface TrainingData {

  /** The training split, shuffled by {@code seed} (the same seed gives the same order). */
  DataSetIterator train(int batchSize, long seed);

  /**
   * Images in the training split, or -1 when unknown (then they are counted by reading the split
   * once, when a budget in epochs needs it).
   */
  default long trainImages() {
    return -1;
  }

  /** The validation split, in a fixed order; never trained on. */
  DataSetIterator validation(int batchSize);

  /**
   * The test split, if any: the images a report's headline figures come from. Only evaluated, on
   * the model before and after; never trained on, never scored or selected on.
   */
  default Optional<DataSetIterator> test(int batchSize) {
    return Optional.empty();
  }

  /**
   * What reports call the {@link #test} split: {@code "test"} when the data came with one, {@code
   * "held-out"} when it was held out of the training images.
   */
  default String testSplitName() {
    return "test";
  }
}
