package org.cnnsimplifier.engine.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Frees a network's off-heap memory now rather than when the garbage collector gets to it: its
 * parameters, gradients and updater state (each one flat array in DL4J) and the inputs and caches
 * its layers keep. Unlike DL4J's own {@code close()}, this neither runs {@code System.gc()} nor
 * destroys the thread's workspaces (which other networks on the thread reuse), so it is cheap
 * enough for every short-lived copy.
 */
public final class NetworkMemory {
  private NetworkMemory() {}

  /** Releases the network's arrays; the network must not be used afterwards. Idempotent. */
  public static void release(Model network) {
    if (network == null) {
      return;
    }
    INDArray params;
    INDArray gradients;
    INDArray updaterState;
    if (network instanceof MultiLayerNetwork mln) {
      mln.clear();
      params = mln.params();
      gradients = mln.getGradientsViewArray();
      Updater updater = mln.getUpdater(false);
      updaterState = updater == null ? null : updater.getStateViewArray();
    } else if (network instanceof ComputationGraph graph) {
      graph.clear();
      params = graph.params();
      gradients = graph.getGradientsViewArray();
      var updater = graph.getUpdater(false);
      updaterState = updater == null ? null : updater.getStateViewArray();
    } else {
      throw new IllegalArgumentException("not a DL4J network: " + network.getClass());
    }
    close(params);
    close(gradients);
    close(updaterState);
  }

  private static void close(INDArray array) {
    if (array != null && !array.wasClosed() && array.closeable()) {
      array.close();
    }
  }
}
