package org.cnnsimplifier.engine.data;

import java.util.List;
import java.util.Optional;
import org.cnnsimplifier.engine.DatasetMismatchException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.retrain.TrainingData;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A labelled image data set split into train, validation and (optionally) test, read from disk a
 * batch at a time: only an index of the images (paths or file offsets, and labels) is kept in
 * memory, so a data set larger than the heap works.
 *
 * <p>Iterators give features as NCHW float32, shape {@code [batch, C, H, W]} — in [0, 1], or
 * preprocessed as {@link DatasetOptions#preprocessing()} says — and one-hot labels {@code [batch,
 * numClasses]}. Several iterators may be used at once, but each iterator belongs to one thread.
 * Close the data set when done: it deletes the temporary files it made; its iterators stop working
 * then.
 */
public interface ImageDataset extends TrainingData, AutoCloseable {

  /** Class names in label order: sorted folder names, or "0", "1", … for IDX. */
  List<String> classes();

  /** The shape of the image tensors produced: the target shape if adapting, else the native one. */
  InputShape imageShape();

  /** What is done to every decoded image before it is given out. */
  InputPreprocessing preprocessing();

  /** Classes, image counts per class per split, image shape and source kind. */
  DatasetSummary summary();

  /**
   * The training images in an order shuffled with {@code shuffleSeed}; each {@code reset()}
   * reshuffles, and two iterators made with the same seed go through the same sequence of orders.
   */
  @Override
  DataSetIterator train(int batchSize, long shuffleSeed);

  /** The validation images in a fixed order. */
  @Override
  DataSetIterator validation(int batchSize);

  /** The test images in a fixed order, if the data set has a test split. */
  @Override
  Optional<DataSetIterator> test(int batchSize);

  /**
   * Checks that the model can consume this data set: same input channels, height and width, and as
   * many outputs as there are classes.
   *
   * @throws DatasetMismatchException naming both values when they differ
   */
  void checkFits(CnnModel model);

  /**
   * Decodes every image once, one at a time (nothing is kept), so a damaged one is found now rather
   * than in the middle of a job.
   *
   * @throws org.cnnsimplifier.engine.InvalidDatasetException naming the first image that cannot be
   *     decoded
   */
  void verify();

  /** Releases open files and deletes any temporary directory this data set made. */
  @Override
  void close();
}
