package org.cnnsimplifier.engine.retrain;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.NetworkMemory;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.runtime.FastPath;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * Retrains a model in place, optionally only up to a given layer.
 *
 * <p>Layers after the last trainable one (in topological order) are frozen exactly as they compute
 * at evaluation — batch normalisation on its running statistics and never updated, dropout off —
 * while gradients still flow through them to the earlier layers: progressive retraining. See {@link
 * TrainingGraphs} for how.
 *
 * <p>Training uses Adam with the plan's learning rate on a copy of the configuration, starting from
 * fresh optimiser state; the data order and dropout are seeded.
 */
public final class Trainer {
  private Trainer() {}

  /**
   * Trains the layers up to and including {@code lastTrainable} (every layer when null) and writes
   * the new parameters back into {@code model}.
   *
   * @return the number of batches trained
   * @throws CancelledException between batches when cancelled; the model is then unchanged
   */
  public static long train(
      CnnModel model,
      String lastTrainable,
      TrainingData data,
      Retraining settings,
      long seed,
      Cancellation cancel) {
    if (settings.epochs() == 0) {
      return 0;
    }
    Set<String> trainable = trainable(model, lastTrainable);
    ComputationGraph graph = network(model, trainable, settings.learningRate());
    // After building: DL4J reseeds the generator from the configuration while initialising.
    Nd4j.getRandom().setSeed(seed);
    long batches = 0;
    try {
      for (int epoch = 0; epoch < settings.epochs(); epoch++) {
        DataSetIterator it = data.train(settings.batchSize(), seed + epoch);
        for (int b = 0; it.hasNext() && under(b, settings); b++) {
          cancel.check();
          graph.fit(it.next());
          batches++;
        }
      }
      TrainingGraphs.copyBack(graph, model, trainable);
    } finally {
      NetworkMemory.releaseTrained(graph);
    }
    return batches;
  }

  /**
   * The network {@link #train} fits, on the fast path: for tests that compare what it computes with
   * what the evaluator computes.
   */
  public static ComputationGraph network(CnnModel model, String lastTrainable, double rate) {
    return network(model, trainable(model, lastTrainable), rate);
  }

  private static ComputationGraph network(CnnModel model, Set<String> trainable, double rate) {
    ComputationGraph graph =
        TrainingGraphs.build(
            model, trainable, layer -> withAdam(layer, rate), WorkspaceMode.ENABLED);
    FastPath.apply(graph);
    return graph;
  }

  /** The layers up to and including {@code lastTrainable}, in topological order. */
  static Set<String> trainable(CnnModel model, String lastTrainable) {
    List<String> names = model.layerNames();
    int last = lastTrainable == null ? names.size() - 1 : names.indexOf(lastTrainable);
    if (last < 0) {
      throw new IllegalArgumentException("no layer named '" + lastTrainable + "'");
    }
    return new LinkedHashSet<>(names.subList(0, last + 1));
  }

  private static boolean under(int batch, Retraining settings) {
    return settings.maxBatchesPerEpoch() == 0 || batch < settings.maxBatchesPerEpoch();
  }

  private static Layer withAdam(Layer layer, double rate) {
    if (layer instanceof BaseLayer base && layer.initializer().numParams(layer) > 0) {
      base.setIUpdater(new Adam(rate));
      base.setBiasUpdater(null);
    }
    return layer;
  }
}
