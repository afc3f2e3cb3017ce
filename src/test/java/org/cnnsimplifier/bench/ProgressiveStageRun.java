package org.cnnsimplifier.bench;

import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.engine.retrain.Trainer;
import org.cnnsimplifier.engine.surgery.ChannelGraph;
import org.cnnsimplifier.engine.surgery.KernelSurgery;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.DataSet;

/**
 * Training speed of a PROGRESSIVE retraining stage: the reference CNN with half the kernels of its
 * second convolution removed, trained by the network {@link Trainer} builds up to that layer's last
 * consumer (the third convolution), everything after it frozen ({@code FrozenLayerWithBackprop},
 * gradients flowing through). Next to it: the same pruned network, all of it trainable, built by
 * the same {@link Trainer#network} — plain training of the same network.
 */
final class ProgressiveStageRun {
  static final String PRUNED = "layer1";

  record Result(
      int batch,
      String lastTrainable,
      long flopsPerImage,
      double stagePerSecond,
      double plainPerSecond) {}

  private ProgressiveStageRun() {}

  static Result best(Result a, Result b) {
    if (a == null) {
      return b;
    }
    return new Result(
        a.batch(),
        a.lastTrainable(),
        a.flopsPerImage(),
        Math.max(a.stagePerSecond(), b.stagePerSecond()),
        Math.max(a.plainPerSecond(), b.plainPerSecond()));
  }

  /** The pruned reference CNN a PROGRESSIVE stage retrains: every other kernel of layer1 gone. */
  static CnnModel pruned() {
    CnnModel model =
        CnnModel.of(ReferenceCnn.build(42), new InputShape(1, 28, 28), ModelFormat.DL4J_ZIP);
    long kernels = ((FeedForwardLayer) model.layerConf(PRUNED)).getNOut();
    return KernelSurgery.remove(
        model, PRUNED, IntStream.range(0, (int) kernels / 2).map(k -> 2 * k).toArray());
  }

  /** The layer a PROGRESSIVE stage trains up to after {@link #PRUNED}: its last consumer. */
  static String lastConsumer(CnnModel model) {
    List<String> order = model.layerNames();
    return ChannelGraph.of(model).prunable(PRUNED).consumers().stream()
        .max(Comparator.comparingInt(order::indexOf))
        .orElseThrow();
  }

  static long flopsPerImage(CnnModel model) {
    return ArchitectureSummary.of(model).totalFlops();
  }

  static Result run(List<DataSet> train, int batch) {
    CnnModel model = pruned();
    String last = lastConsumer(model);
    long flops = flopsPerImage(model);
    // Warm-up on throwaway networks (JIT, oneDNN primitives, workspaces).
    for (String lastTrainable : new String[] {last, null}) {
      ComputationGraph warm = Trainer.network(model, lastTrainable, 1e-3);
      for (int i = 0; i < Math.min(Dl4jRun.WARMUP_BATCHES, train.size()); i++) {
        warm.fit(train.get(i));
      }
      warm.close();
    }
    double stage = time(Trainer.network(model, last, 1e-3), train);
    double plain = time(Trainer.network(model, null, 1e-3), train);
    model.close();
    return new Result(batch, last, flops, stage, plain);
  }

  private static double time(ComputationGraph graph, List<DataSet> train) {
    try {
      long images = 0;
      long start = System.nanoTime();
      for (DataSet d : train) {
        graph.fit(d);
        images += d.numExamples();
      }
      return images / ((System.nanoTime() - start) / 1e9);
    } finally {
      graph.close();
    }
  }
}
