package org.cnnsimplifier.engine.data;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.InputShape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Goes through one split a batch at a time, decoding only the images of the current batch. Features
 * are NCHW float32, preprocessed as the model takes them, labels one-hot. With a shuffle seed, the
 * order is shuffled when the iterator is made and again at every {@link #reset()}, from one {@link
 * Random} seeded once: the sequence of epoch orders is reproducible.
 */
final class BatchIterator implements DataSetIterator {
  private static final long serialVersionUID = 1L;

  private final transient SplitSamples samples;
  private final InputShape shape;
  private final List<String> classes;
  private final int batchSize;
  private final InputPreprocessing preprocessing;
  private final Random shuffler;
  private final int[] order;
  private int cursor;
  private DataSetPreProcessor preProcessor;

  /**
   * @param shuffleSeed {@code null} for the split's fixed order
   */
  BatchIterator(
      SplitSamples samples,
      InputShape shape,
      List<String> classes,
      int batchSize,
      Long shuffleSeed,
      InputPreprocessing preprocessing) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
    }
    this.samples = samples;
    this.shape = shape;
    this.classes = List.copyOf(classes);
    this.batchSize = batchSize;
    this.preprocessing = preprocessing;
    this.shuffler = shuffleSeed == null ? null : new Random(shuffleSeed);
    this.order = new int[samples.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    shuffle();
  }

  private void shuffle() {
    if (shuffler == null) {
      return;
    }
    for (int i = order.length - 1; i > 0; i--) {
      int j = shuffler.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
  }

  @Override
  public boolean hasNext() {
    return cursor < order.length;
  }

  @Override
  public DataSet next() {
    return next(batchSize);
  }

  @Override
  public DataSet next(int num) {
    if (!hasNext()) {
      throw new NoSuchElementException("no more batches; call reset() to start again");
    }
    int n = Math.min(num, order.length - cursor);
    int size = (int) shape.size();
    int numClasses = classes.size();
    float[] features = new float[n * size];
    float[] labels = new float[n * numClasses];
    for (int b = 0; b < n; b++) {
      int position = order[cursor + b];
      samples.reader().read(samples.indices()[position], features, b * size);
      labels[b * numClasses + samples.labels()[position]] = 1f;
    }
    cursor += n;
    preprocessing.apply(features, 0, n, shape);
    INDArray featureArray =
        Nd4j.create(features, new long[] {n, shape.channels(), shape.height(), shape.width()}, 'c');
    INDArray labelArray = Nd4j.create(labels, new long[] {n, numClasses}, 'c');
    DataSet batch = new DataSet(featureArray, labelArray);
    batch.setLabelNames(classes);
    if (preProcessor != null) {
      preProcessor.preProcess(batch);
    }
    return batch;
  }

  /** Images in the split. */
  int numExamples() {
    return order.length;
  }

  @Override
  public int inputColumns() {
    return (int) shape.size();
  }

  @Override
  public int totalOutcomes() {
    return classes.size();
  }

  @Override
  public boolean resetSupported() {
    return true;
  }

  /**
   * {@code false}: decoding happens in the caller's thread, so errors (a corrupt image) surface
   * where the batch is asked for. Wrap in an {@code AsyncDataSetIterator} to prefetch.
   */
  @Override
  public boolean asyncSupported() {
    return false;
  }

  @Override
  public void reset() {
    cursor = 0;
    shuffle();
  }

  @Override
  public int batch() {
    return batchSize;
  }

  @Override
  public void setPreProcessor(DataSetPreProcessor preProcessor) {
    this.preProcessor = preProcessor;
  }

  @Override
  public DataSetPreProcessor getPreProcessor() {
    return preProcessor;
  }

  @Override
  public List<String> getLabels() {
    return classes;
  }
}
