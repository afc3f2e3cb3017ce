package org.cnnsimplifier.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.cnnsimplifier.engine.retrain.TrainingData;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * In-memory images for the tiny networks: each class lights a bright patch in its own place, over
 * noise, so a small CNN learns it in a few batches.
 */
public final class SyntheticData implements TrainingData {
  private final List<DataSet> train;
  private final List<DataSet> validation;
  private final List<DataSet> test;

  public SyntheticData(int trainPerClass, int validationPerClass, long seed) {
    this(TinyNets.INPUT, trainPerClass, validationPerClass, seed);
  }

  /** Images of another shape (at least 10 pixels high and wide), three classes. */
  public SyntheticData(
      org.cnnsimplifier.engine.model.InputShape shape,
      int trainPerClass,
      int validationPerClass,
      long seed) {
    this(shape, trainPerClass, validationPerClass, validationPerClass, seed);
  }

  /** As many test images per class as asked, so figures on each split can be told apart. */
  public SyntheticData(
      org.cnnsimplifier.engine.model.InputShape shape,
      int trainPerClass,
      int validationPerClass,
      int testPerClass,
      long seed) {
    Random random = new Random(seed);
    this.train = examples(shape, trainPerClass, random);
    this.validation = examples(shape, validationPerClass, random);
    this.test = examples(shape, testPerClass, random);
  }

  private static List<DataSet> examples(
      org.cnnsimplifier.engine.model.InputShape shape, int perClass, Random random) {
    List<DataSet> result = new ArrayList<>();
    for (int i = 0; i < perClass; i++) {
      for (int c = 0; c < TinyNets.CLASSES; c++) {
        result.add(example(shape, c, random));
      }
    }
    return result;
  }

  private static DataSet example(
      org.cnnsimplifier.engine.model.InputShape shape, int label, Random random) {
    float[] pixels = new float[(int) shape.size()];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = random.nextFloat() * 0.3f;
    }
    int top = (1 + 3 * label) * Math.min(shape.height(), shape.width()) / 10;
    for (int ch = 0; ch < shape.channels(); ch++) {
      for (int y = top; y < top + 3; y++) {
        for (int x = top; x < top + 3; x++) {
          pixels[(ch * shape.height() + y) * shape.width() + x] = 0.7f + random.nextFloat() * 0.3f;
        }
      }
    }
    INDArray features =
        Nd4j.create(pixels, new long[] {1, shape.channels(), shape.height(), shape.width()}, 'c');
    INDArray labels = Nd4j.zeros(DataType.FLOAT, 1, TinyNets.CLASSES);
    labels.putScalar(0, label, 1);
    return new DataSet(features, labels);
  }

  @Override
  public DataSetIterator train(int batchSize, long seed) {
    List<DataSet> shuffled = new ArrayList<>(train);
    Collections.shuffle(shuffled, new Random(seed));
    return new ListDataSetIterator<>(shuffled, batchSize);
  }

  @Override
  public DataSetIterator validation(int batchSize) {
    return new ListDataSetIterator<>(validation, batchSize);
  }

  @Override
  public Optional<DataSetIterator> test(int batchSize) {
    return Optional.of(new ListDataSetIterator<>(test, batchSize));
  }
}
