package org.cnnsimplifier.engine.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.cnnsimplifier.engine.ProgressListener;
import org.cnnsimplifier.engine.Simplifier;
import org.cnnsimplifier.engine.criteria.Criterion;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.retrain.TrainingData;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded random images and labels of any shape: enough to run a simplification end to end. */
public final class RandomImages implements TrainingData {
  private final List<DataSet> train;
  private final List<DataSet> validation;

  public RandomImages(InputShape shape, int classes, int images, long seed) {
    Random random = new Random(seed);
    this.train = examples(shape, classes, images, random);
    this.validation = examples(shape, classes, Math.max(classes, images / 2), random);
  }

  private static List<DataSet> examples(InputShape shape, int classes, int n, Random random) {
    List<DataSet> result = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] pixels = new float[(int) shape.size()];
      for (int p = 0; p < pixels.length; p++) {
        pixels[p] = random.nextFloat();
      }
      var labels = Nd4j.zeros(DataType.FLOAT, 1, classes);
      labels.putScalar(0, i % classes, 1);
      result.add(
          new DataSet(
              Nd4j.create(
                  pixels, new long[] {1, shape.channels(), shape.height(), shape.width()}, 'c'),
              labels));
    }
    return result;
  }

  /**
   * The model with half the kernels of each given layer removed by PROGRESSIVE + L1, retrained
   * briefly on random images: a simplified model to export.
   */
  public static CnnModel simplify(CnnModel model, List<String> layers) {
    SimplificationPlan plan =
        SimplificationPlan.progressive(Criterion.L1, new EliminationPolicy.Ratio(0.5), 7)
            .withLayers(layers)
            .withRetraining(new Retraining(1, 8, 1e-3, 2));
    RandomImages data = new RandomImages(model.inputShape(), model.numClasses(), 16, 3);
    return new Simplifier()
        .run(model, data, plan, ProgressListener.NONE, Cancellation.NEVER)
        .model();
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
}
