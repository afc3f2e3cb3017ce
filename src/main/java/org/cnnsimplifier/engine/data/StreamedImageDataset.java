package org.cnnsimplifier.engine.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cnnsimplifier.engine.DatasetMismatchException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.InputShape;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The one {@link ImageDataset}: splits of indexed samples, decoded by their readers per batch, or
 * read from a tensor store they were decoded into once.
 */
final class StreamedImageDataset implements ImageDataset {
  private final List<String> classes;
  private final InputShape shape;
  private final SplitSamples train;
  private final SplitSamples validation;
  private final SplitSamples test;
  private final boolean testHeldOut;
  private final SourceKind kind;
  private final List<SampleReader> readers;
  private final WorkArea work;
  private final DatasetSummary summary;
  private final InputPreprocessing preprocessing;
  private final boolean channelsInOrder;

  /**
   * @param test {@code null} when there is no test split
   * @param readers every reader the splits use, closed with the data set
   * @param work the temporary directory the data set owns, deleted on close
   */
  StreamedImageDataset(
      List<String> classes,
      InputShape shape,
      SplitSamples train,
      SplitSamples validation,
      SplitSamples test,
      SourceKind kind,
      List<SampleReader> readers,
      WorkArea work) {
    this(
        classes,
        shape,
        new StratifiedSplitter.Splits(train, validation, test, false),
        kind,
        readers,
        work);
  }

  /**
   * @param splits train, validation and (optionally) test, and whether test was held out of train
   * @param readers every reader the splits use, closed with the data set
   * @param work the temporary directory the data set owns, deleted on close
   */
  StreamedImageDataset(
      List<String> classes,
      InputShape shape,
      StratifiedSplitter.Splits splits,
      SourceKind kind,
      List<SampleReader> readers,
      WorkArea work) {
    this(classes, shape, splits, kind, readers, work, InputPreprocessing.defaults(), false);
  }

  private StreamedImageDataset(
      List<String> classes,
      InputShape shape,
      StratifiedSplitter.Splits splits,
      SourceKind kind,
      List<SampleReader> readers,
      WorkArea work,
      InputPreprocessing preprocessing,
      boolean channelsInOrder) {
    this.classes = List.copyOf(classes);
    this.shape = shape;
    this.train = splits.train();
    this.validation = splits.validation();
    this.test = splits.test();
    this.testHeldOut = splits.testHeldOut();
    this.kind = kind;
    this.readers = List.copyOf(readers);
    this.work = work;
    this.summary = buildSummary();
    this.preprocessing = preprocessing;
    this.channelsInOrder = channelsInOrder;
  }

  /**
   * The same data set giving images preprocessed as {@code p} says; this instance hands its files
   * over and must not be used or closed afterwards.
   */
  StreamedImageDataset preprocessed(InputPreprocessing p) {
    return new StreamedImageDataset(
        classes,
        shape,
        new StratifiedSplitter.Splits(train, validation, test, testHeldOut),
        kind,
        readers,
        work,
        p,
        channelsInOrder);
  }

  /** The images of a class-folder data set (one reader for every split), else {@code null}. */
  FolderImages folderImages() {
    return readers.size() == 1 && readers.get(0) instanceof FolderImages images ? images : null;
  }

  /**
   * The same data set reading its images from {@code store}, which holds them by the same indices,
   * with colour channels already in the preprocessing's order; this instance hands its files over
   * and must not be used or closed afterwards.
   */
  StreamedImageDataset readingFrom(TensorStoreFile store) {
    List<SampleReader> all = new ArrayList<>(readers);
    all.add(store);
    return new StreamedImageDataset(
        classes,
        shape,
        new StratifiedSplitter.Splits(
            new SplitSamples(store, train.indices(), train.labels()),
            new SplitSamples(store, validation.indices(), validation.labels()),
            test == null ? null : new SplitSamples(store, test.indices(), test.labels()),
            testHeldOut),
        kind,
        all,
        work,
        preprocessing,
        true);
  }

  /** Whether batches are read from a tensor store. */
  boolean stored() {
    return channelsInOrder;
  }

  /** What batches need done: the preprocessing, less the channel swap a store already made. */
  private InputPreprocessing batchPreprocessing() {
    if (!channelsInOrder) {
      return preprocessing;
    }
    return new InputPreprocessing(
        preprocessing.scale(),
        preprocessing.mean(),
        preprocessing.std(),
        InputPreprocessing.ChannelOrder.RGB);
  }

  private DatasetSummary buildSummary() {
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    counts.put(DatasetSummary.TRAIN, perClass(train));
    counts.put(DatasetSummary.VALIDATION, perClass(validation));
    if (test != null) {
      counts.put(DatasetSummary.TEST, perClass(test));
    }
    return new DatasetSummary(classes, counts, shape, kind, test != null && testHeldOut);
  }

  private Map<String, Integer> perClass(SplitSamples split) {
    int[] counts = split.countsPerClass(classes.size());
    Map<String, Integer> result = new LinkedHashMap<>();
    for (int c = 0; c < counts.length; c++) {
      result.put(classes.get(c), counts[c]);
    }
    return result;
  }

  @Override
  public List<String> classes() {
    return classes;
  }

  @Override
  public InputShape imageShape() {
    return shape;
  }

  @Override
  public InputPreprocessing preprocessing() {
    return preprocessing;
  }

  @Override
  public DatasetSummary summary() {
    return summary;
  }

  @Override
  public long trainImages() {
    return train.size();
  }

  @Override
  public DataSetIterator train(int batchSize, long shuffleSeed) {
    return new BatchIterator(train, shape, classes, batchSize, shuffleSeed, batchPreprocessing());
  }

  @Override
  public DataSetIterator validation(int batchSize) {
    return new BatchIterator(validation, shape, classes, batchSize, null, batchPreprocessing());
  }

  @Override
  public Optional<DataSetIterator> test(int batchSize) {
    return test == null
        ? Optional.empty()
        : Optional.of(
            new BatchIterator(test, shape, classes, batchSize, null, batchPreprocessing()));
  }

  @Override
  public String testSplitName() {
    return testHeldOut ? DatasetSummary.HELD_OUT : DatasetSummary.TEST;
  }

  @Override
  public void verify() {
    float[] buffer = new float[(int) shape.size()];
    for (SplitSamples split :
        test == null ? List.of(train, validation) : List.of(train, validation, test)) {
      for (int index : split.indices()) {
        split.reader().read(index, buffer, 0);
      }
    }
  }

  @Override
  public void checkFits(CnnModel model) {
    List<String> problems = new ArrayList<>();
    InputShape expected = model.inputShape();
    if (expected.channels() != shape.channels()) {
      problems.add(
          "the model takes "
              + expected.channels()
              + " input channel(s) but the images have "
              + shape.channels()
              + " (turn adapt on with the model's input shape to convert gray/RGB)");
    }
    if (expected.height() != shape.height() || expected.width() != shape.width()) {
      problems.add(
          "the model takes "
              + expected.height()
              + "x"
              + expected.width()
              + " images but the data set gives "
              + shape.height()
              + "x"
              + shape.width()
              + " (turn adapt on with the model's input shape to resize)");
    }
    int modelClasses = model.numClasses();
    if (modelClasses != classes.size()) {
      problems.add(
          "the model has "
              + modelClasses
              + " output classes but the data set has "
              + classes.size()
              + " "
              + classes
              + " (use a data set with the classes the model was trained on)");
    }
    if (!problems.isEmpty()) {
      throw new DatasetMismatchException(
          "the data set does not fit the model: " + String.join("; ", problems));
    }
  }

  @Override
  public void close() {
    try {
      readers.forEach(SampleReader::close);
    } finally {
      work.close();
    }
  }
}
