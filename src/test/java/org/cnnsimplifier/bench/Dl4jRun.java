package org.cnnsimplifier.bench;

import java.util.List;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.retrain.Evaluator;
import org.cnnsimplifier.engine.runtime.FastPath;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/** Times one pass of training and three passes of inference of the reference CNN in DL4J. */
final class Dl4jRun {
  /** Mini-batches used to warm up (JIT, oneDNN primitives, workspaces) before timing. */
  static final int WARMUP_BATCHES = 6;

  record Result(
      int batch, boolean helpers, double trainPerSecond, double inferPerSecond, double accuracy) {}

  private Dl4jRun() {}

  /** The faster figures of two runs; accuracy from the first. */
  static Result best(Result a, Result b) {
    return new Result(
        a.batch(),
        a.helpers(),
        Math.max(a.trainPerSecond(), b.trainPerSecond()),
        Math.max(a.inferPerSecond(), b.inferPerSecond()),
        a.accuracy());
  }

  static Result run(List<DataSet> train, List<DataSet> test, int batch, boolean helpers) {
    // Warm-up on a throwaway network so the timed one starts from the same weights as always.
    MultiLayerNetwork warm = prepare(helpers);
    for (int i = 0; i < Math.min(WARMUP_BATCHES, train.size()); i++) {
      warm.fit(train.get(i));
    }
    for (DataSet t : test.subList(0, Math.min(2, test.size()))) {
      warm.output(t.getFeatures());
    }

    MultiLayerNetwork network = prepare(helpers);
    long images = 0;
    long start = System.nanoTime();
    for (DataSet d : train) {
      network.fit(d);
      images += d.numExamples();
    }
    double trainPerSecond = images / seconds(start);

    double accuracy = accuracy(network, test);
    long inferred = 0;
    start = System.nanoTime();
    for (int pass = 0; pass < 3; pass++) {
      for (DataSet t : test) {
        network.output(t.getFeatures());
        inferred += t.numExamples();
      }
    }
    double inferPerSecond = inferred / seconds(start);
    return new Result(batch, helpers, trainPerSecond, inferPerSecond, accuracy);
  }

  private static MultiLayerNetwork prepare(boolean helpers) {
    MultiLayerNetwork network = ReferenceCnn.build(42);
    CnnModel model = CnnModel.of(network, new InputShape(1, 28, 28), ModelFormat.DL4J_ZIP);
    if (helpers) {
      // What the engine's Trainer does to the networks it trains.
      FastPath.applyForTraining(network);
    } else {
      FastPath.apply(model);
      FastPath.removeHelpers(model);
    }
    return network;
  }

  private static double accuracy(MultiLayerNetwork network, List<DataSet> test) {
    CnnModel model =
        CnnModel.of(
            network,
            new org.cnnsimplifier.engine.model.InputShape(1, FashionMnist.SIDE, FashionMnist.SIDE),
            org.cnnsimplifier.engine.model.ModelFormat.DL4J_ZIP);
    return Evaluator.evaluate(
            model,
            new org.deeplearning4j.datasets.iterator.ExistingDataSetIterator(test),
            Cancellation.NEVER)
        .accuracy();
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
