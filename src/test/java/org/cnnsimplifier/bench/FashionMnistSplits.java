package org.cnnsimplifier.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.cnnsimplifier.engine.retrain.TrainingData;
import org.deeplearning4j.datasets.iterator.ExistingDataSetIterator;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fashion-MNIST in memory with a seeded train/validation split of its 60,000 training images (the
 * last {@code validation} of a seeded permutation are held out) and its 10,000 test images, as the
 * engine's {@link TrainingData}. The split is written out ({@link #writeIndices}) so the PyTorch
 * reference trains and evaluates on exactly the same images.
 */
final class FashionMnistSplits implements TrainingData {
  private final FashionMnist all;
  private final FashionMnist test;
  private final int[] train;
  private final int[] validation;

  /** Validation and test batches per batch size, never changed once made: jobs run in parallel. */
  private final java.util.Map<Integer, List<List<DataSet>>> cached = new java.util.HashMap<>();

  private FashionMnistSplits(FashionMnist all, FashionMnist test, int[] train, int[] validation) {
    this.all = all;
    this.test = test;
    this.train = train;
    this.validation = validation;
  }

  static FashionMnistSplits load(Path folder, int validationImages, long splitSeed)
      throws IOException {
    FashionMnist all = FashionMnist.load(folder, "train", Integer.MAX_VALUE);
    FashionMnist test = FashionMnist.load(folder, "t10k", Integer.MAX_VALUE);
    int[] order = permutation(all.count(), new Random(splitSeed));
    int trainCount = all.count() - validationImages;
    int[] train = new int[trainCount];
    int[] validation = new int[validationImages];
    System.arraycopy(order, 0, train, 0, trainCount);
    System.arraycopy(order, trainCount, validation, 0, validationImages);
    java.util.Arrays.sort(train);
    java.util.Arrays.sort(validation);
    return new FashionMnistSplits(all, test, train, validation);
  }

  int trainCount() {
    return train.length;
  }

  int validationCount() {
    return validation.length;
  }

  int testCount() {
    return test.count();
  }

  /** Train and validation indices into the 60,000 training images, int32 little-endian. */
  void writeIndices(Path trainFile, Path validationFile) throws IOException {
    write(train, trainFile);
    write(validation, validationFile);
  }

  @Override
  public long trainImages() {
    return train.length;
  }

  @Override
  public DataSetIterator train(int batchSize, long seed) {
    int[] order = train.clone();
    shuffle(order, new Random(seed));
    // Built batch by batch: a stage that trains a few hundred batches never builds the rest.
    java.util.Iterator<DataSet> lazy =
        new java.util.Iterator<>() {
          private int start;

          @Override
          public boolean hasNext() {
            return start < order.length;
          }

          @Override
          public DataSet next() {
            int n = Math.min(batchSize, order.length - start);
            int[] slice = java.util.Arrays.copyOfRange(order, start, start + n);
            start += n;
            return batches(all, slice, n).get(0);
          }
        };
    return new ExistingDataSetIterator(lazy);
  }

  @Override
  public DataSetIterator validation(int batchSize) {
    return new ExistingDataSetIterator(cache(batchSize).get(0));
  }

  @Override
  public Optional<DataSetIterator> test(int batchSize) {
    return Optional.of(new ExistingDataSetIterator(cache(batchSize).get(1)));
  }

  /** The validation batches, then the test batches, at this batch size. */
  private synchronized List<List<DataSet>> cache(int batchSize) {
    return cached.computeIfAbsent(
        batchSize,
        size -> {
          int[] every = new int[test.count()];
          for (int i = 0; i < every.length; i++) {
            every[i] = i;
          }
          return List.of(
              List.copyOf(batches(all, validation, size)), List.copyOf(batches(test, every, size)));
        });
  }

  private static List<DataSet> batches(FashionMnist images, int[] indices, int batch) {
    int pixels = FashionMnist.SIDE * FashionMnist.SIDE;
    List<DataSet> out = new ArrayList<>();
    for (int start = 0; start < indices.length; start += batch) {
      int n = Math.min(batch, indices.length - start);
      float[] x = new float[n * pixels];
      float[] y = new float[n * FashionMnist.CLASSES];
      for (int i = 0; i < n; i++) {
        int image = indices[start + i];
        System.arraycopy(images.pixels(), image * pixels, x, i * pixels, pixels);
        y[i * FashionMnist.CLASSES + images.labels()[image]] = 1f;
      }
      out.add(
          new DataSet(
              Nd4j.create(x, new long[] {n, 1, FashionMnist.SIDE, FashionMnist.SIDE}, 'c'),
              Nd4j.create(y, new long[] {n, FashionMnist.CLASSES}, 'c')));
    }
    return out;
  }

  private static int[] permutation(int n, Random random) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    shuffle(order, random);
    return order;
  }

  private static void shuffle(int[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static void write(int[] values, Path file) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      buffer.putInt(v);
    }
    Files.write(file, buffer.array());
  }
}
