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

/** The one {@link ImageDataset}: splits of indexed samples, decoded by their readers per batch. */
final class StreamedImageDataset implements ImageDataset {
  private final List<String> classes;
  private final InputShape shape;
  private final SplitSamples train;
  private final SplitSamples validation;
  private final SplitSamples test;
  private final SourceKind kind;
  private final List<SampleReader> readers;
  private final WorkArea work;
  private final DatasetSummary summary;
  private final InputPreprocessing preprocessing;

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
        train,
        validation,
        test,
        kind,
        readers,
        work,
        InputPreprocessing.defaults());
  }

  private StreamedImageDataset(
      List<String> classes,
      InputShape shape,
      SplitSamples train,
      SplitSamples validation,
      SplitSamples test,
      SourceKind kind,
      List<SampleReader> readers,
      WorkArea work,
      InputPreprocessing preprocessing) {
    this.classes = List.copyOf(classes);
    this.shape = shape;
    this.train = train;
    this.validation = validation;
    this.test = test;
    this.kind = kind;
    this.readers = List.copyOf(readers);
    this.work = work;
    this.summary = buildSummary();
    this.preprocessing = preprocessing;
  }

  /**
   * The same data set giving images preprocessed as {@code p} says; this instance hands its files
   * over and must not be used or closed afterwards.
   */
  StreamedImageDataset preprocessed(InputPreprocessing p) {
    return new StreamedImageDataset(
        classes, shape, train, validation, test, kind, readers, work, p);
  }

  private DatasetSummary buildSummary() {
    Map<String, Map<String, Integer>> counts = new LinkedHashMap<>();
    counts.put(DatasetSummary.TRAIN, perClass(train));
    counts.put(DatasetSummary.VALIDATION, perClass(validation));
    if (test != null) {
      counts.put(DatasetSummary.TEST, perClass(test));
    }
    return new DatasetSummary(classes, counts, shape, kind);
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
    return new BatchIterator(train, shape, classes, batchSize, shuffleSeed, preprocessing);
  }

  @Override
  public DataSetIterator validation(int batchSize) {
    return new BatchIterator(validation, shape, classes, batchSize, null, preprocessing);
  }

  @Override
  public Optional<DataSetIterator> test(int batchSize) {
    return test == null
        ? Optional.empty()
        : Optional.of(new BatchIterator(test, shape, classes, batchSize, null, preprocessing));
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
