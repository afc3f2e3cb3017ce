package org.cnnsimplifier.engine.retrain;

import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.NetworkMemory;
import org.cnnsimplifier.engine.report.Metrics;
import org.cnnsimplifier.engine.runtime.FastPath;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** Accuracy and cross-entropy loss of a classifier over a split, in inference mode. */
public final class Evaluator {
  private static final double EPSILON = 1e-7;

  private Evaluator() {}

  /** Evaluates on every image of the iterator (reset first). */
  public static Metrics evaluate(CnnModel model, DataSetIterator images, Cancellation cancel) {
    FastPath.apply(model);
    images.reset();
    long correct = 0;
    long count = 0;
    double lossSum = 0;
    while (images.hasNext()) {
      cancel.check();
      DataSet batch = images.next();
      INDArray probabilities = model.output(batch.getFeatures());
      INDArray labels = batch.getLabels();
      INDArray predicted = Nd4j.argMax(probabilities, 1);
      INDArray actual = Nd4j.argMax(labels, 1);
      INDArray hits = predicted.eq(actual);
      INDArray hitCounts = hits.castTo(org.nd4j.linalg.api.buffer.DataType.INT);
      correct += hitCounts.sumNumber().longValue();
      INDArray clamped = Transforms.max(probabilities, EPSILON, true);
      INDArray logs = Transforms.log(clamped, false);
      INDArray typedLabels = labels.castTo(logs.dataType());
      INDArray products = logs.mul(typedLabels);
      lossSum -= products.sumNumber().doubleValue();
      // Per-batch temporaries, freed now rather than by the collector; the batch is the caller's.
      NetworkMemory.close(
          products,
          typedLabels == labels ? null : typedLabels,
          logs,
          clamped,
          hitCounts,
          hits,
          actual,
          predicted,
          probabilities);
      count += batch.numExamples();
    }
    if (count == 0) {
      return new Metrics(0, 0, 0);
    }
    return new Metrics((double) correct / count, lossSum / count, count);
  }
}
