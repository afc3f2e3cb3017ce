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
 * enough for every short-lived copy. {@link #close(INDArray...)} does the same for single arrays.
 */
public final class NetworkMemory {
  private NetworkMemory() {}

  /**
   * Initialises a network whose every parameter the caller assigns next: on one zero-filled array,
   * skipping DL4J's weight initialisation (which leaves a temporary array as large as each
   * parameter behind for the garbage collector).
   */
  public static void initForAssignment(MultiLayerNetwork network) {
    var conf = network.getLayerWiseConfigurations();
    long count = 0;
    for (int i = 0; i < conf.getConfs().size(); i++) {
      var layer = conf.getConf(i).getLayer();
      count += layer.initializer().numParams(layer);
    }
    network.init(flat(count, conf.getDataType()), false);
  }

  /** {@link #initForAssignment(MultiLayerNetwork)} for a ComputationGraph. */
  public static void initForAssignment(ComputationGraph graph) {
    var conf = graph.getConfiguration();
    long count = 0;
    for (var vertex : conf.getVertices().values()) {
      count += vertex.numParams(true);
    }
    graph.init(flat(count, conf.getDataType()), false);
  }

  private static INDArray flat(long count, org.nd4j.linalg.api.buffer.DataType type) {
    return org.nd4j.linalg.factory.Nd4j.zeros(type, 1, Math.max(count, 1));
  }

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

  /**
   * {@link #release} a network that trained on this thread, and destroy the thread's workspaces
   * (training activations and gradients), as DL4J's {@code close()} does but without its {@code
   * System.gc()}.
   */
  public static void releaseTrained(Model network) {
    release(network);
    org.nd4j.linalg.factory.Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
  }

  /**
   * Frees arrays that are done with, skipping nulls, views, workspace arrays and arrays already
   * closed; an array given twice is closed once.
   */
  public static void close(INDArray... arrays) {
    for (INDArray array : arrays) {
      if (array != null && !array.wasClosed() && array.closeable()) {
        array.close();
      }
    }
  }
}
