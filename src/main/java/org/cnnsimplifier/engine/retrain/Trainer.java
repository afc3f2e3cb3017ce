package org.cnnsimplifier.engine.retrain;

import java.util.List;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.runtime.FastPath;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;

/**
 * Retrains a model in place, optionally only up to a given layer.
 *
 * <p>Layers after the last trainable one are wrapped in DL4J's {@link FrozenLayerWithBackprop}:
 * their weights stay bit-identical while gradients still flow through them to the earlier layers —
 * progressive retraining. ({@code TransferLearning.setFeatureExtractor} freezes the <em>first</em>
 * layers, the opposite.) The output layer cannot be wrapped (DL4J needs it to stay an output
 * layer), so when frozen it gets a no-op updater and no regularisation instead.
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
    List<String> names = model.layerNames();
    int last = lastTrainable == null ? names.size() - 1 : names.indexOf(lastTrainable);
    if (last < 0) {
      throw new IllegalArgumentException("no layer named '" + lastTrainable + "'");
    }
    Nd4j.getRandom().setSeed(seed);
    long batches = 0;
    if (model.isGraph()) {
      ComputationGraph graph = trainingGraph(model, names, last, settings.learningRate());
      for (int epoch = 0; epoch < settings.epochs(); epoch++) {
        DataSetIterator it = data.train(settings.batchSize(), seed + epoch);
        for (int b = 0; it.hasNext() && under(b, settings); b++) {
          cancel.check();
          graph.fit(it.next());
          batches++;
        }
      }
      model.graph().setParams(graph.params());
    } else {
      MultiLayerNetwork network = trainingNetwork(model, last, settings.learningRate());
      for (int epoch = 0; epoch < settings.epochs(); epoch++) {
        DataSetIterator it = data.train(settings.batchSize(), seed + epoch);
        for (int b = 0; it.hasNext() && under(b, settings); b++) {
          cancel.check();
          DataSet batch = it.next();
          network.fit(batch);
          batches++;
        }
      }
      model.network().setParams(network.params());
    }
    return batches;
  }

  private static boolean under(int batch, Retraining settings) {
    return settings.maxBatchesPerEpoch() == 0 || batch < settings.maxBatchesPerEpoch();
  }

  private static MultiLayerNetwork trainingNetwork(CnnModel model, int last, double rate) {
    MultiLayerConfiguration conf = model.network().getLayerWiseConfigurations().clone();
    int count = conf.getConfs().size();
    for (int i = 0; i < count; i++) {
      NeuralNetConfiguration layerConf = conf.getConf(i);
      layerConf.setLayer(prepared(layerConf.getLayer(), i <= last, i == count - 1, rate));
    }
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init(model.network().params().dup(), false);
    FastPath.apply(network);
    return network;
  }

  private static ComputationGraph trainingGraph(
      CnnModel model, List<String> names, int last, double rate) {
    ComputationGraphConfiguration conf = model.graph().getConfiguration().clone();
    List<String> outputs = conf.getNetworkOutputs();
    for (int i = 0; i < names.size(); i++) {
      LayerVertex vertex = (LayerVertex) conf.getVertices().get(names.get(i));
      NeuralNetConfiguration layerConf = vertex.getLayerConf();
      boolean isOutput = outputs.contains(names.get(i));
      layerConf.setLayer(prepared(layerConf.getLayer(), i <= last, isOutput, rate));
    }
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init(model.graph().params().dup(), false);
    FastPath.apply(graph);
    return graph;
  }

  /** The layer as it trains: with Adam when trainable, frozen otherwise. */
  private static Layer prepared(Layer layer, boolean trainable, boolean isOutput, double rate) {
    if (!(layer instanceof BaseLayer base) || layer.initializer().numParams(layer) == 0) {
      // No parameters: nothing to train or freeze (and DL4J's dropout cannot run wrapped).
      return layer;
    }
    if (trainable) {
      base.setIUpdater(new Adam(rate));
      base.setBiasUpdater(null);
      return base;
    }
    if (isOutput || base instanceof BatchNormalization) {
      // A zero learning rate leaves the weights bit-identical (NoOp would apply raw gradients).
      base.setIUpdater(new Sgd(0.0));
      base.setBiasUpdater(new Sgd(0.0));
      base.setRegularization(List.of());
      base.setRegularizationBias(List.of());
      if (base instanceof BatchNormalization bn) {
        // Running mean and variance move by (1 - decay) per batch: not at all.
        bn.setDecay(1.0);
      }
      return base;
    }
    return new FrozenLayerWithBackprop(base);
  }
}
