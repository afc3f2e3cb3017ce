package org.cnnsimplifier.engine.surgery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.cnnsimplifier.engine.model.CnnModel;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The surgery's property: the pruned model computes what the original computes with the removed
 * channels zeroed where they are read ({@link KernelMask}). Compared on logits (the output layer's
 * softmax taken off), which show differences that near-uniform probabilities of a randomly
 * initialised model would hide.
 */
final class SurgeryProperty {
  private SurgeryProperty() {}

  /** Result of one comparison. */
  record Outcome(double difference, double change, long paramsBefore, long paramsAfter) {}

  /**
   * Prunes and masks the channels of a group and compares them.
   *
   * @return the largest logit difference between pruned and masked, and the largest change masking
   *     made to the original's logits
   */
  static Outcome compare(CnnModel model, String group, int[] channels, INDArray images) {
    CnnModel pruned = KernelSurgery.remove(model, group, channels);
    CnnModel masked = KernelMask.zeroed(model, group, channels);
    INDArray expected = logits(masked).output(images).castTo(DataType.DOUBLE);
    INDArray actual = logits(pruned).output(images).castTo(DataType.DOUBLE);
    INDArray original = logits(model).output(images).castTo(DataType.DOUBLE);
    assertThat(actual.shape()).isEqualTo(expected.shape());
    return new Outcome(
        actual.sub(expected).amaxNumber().doubleValue(),
        original.sub(expected).amaxNumber().doubleValue(),
        model.numParams(),
        pruned.numParams());
  }

  /**
   * Asserts the property for a channel set: pruned equals masked within {@code tolerance} times the
   * largest logit, masking changed the logits ten times more than pruned and masked differ (so the
   * comparison means something), and the model got smaller.
   */
  static void holds(
      CnnModel model, String group, int[] channels, INDArray images, double tolerance) {
    Outcome outcome = equal(model, group, channels, images, tolerance);
    assertThat(outcome.change())
        .as("masking group %s must change the logits far more than pruning differs", group)
        .isGreaterThan(10 * Math.max(outcome.difference(), 1e-7));
    assertThat(outcome.paramsAfter()).isLessThan(outcome.paramsBefore());
  }

  /** Asserts only that pruned equals masked (masking may change nothing, e.g. dead units). */
  static Outcome equal(
      CnnModel model, String group, int[] channels, INDArray images, double tolerance) {
    Outcome outcome = compare(model, group, channels, images);
    // Randomly initialised deep models have small logits: the tolerance is relative to them.
    double scale = logits(model).output(images).amaxNumber().doubleValue();
    assertThat(outcome.difference())
        .as(
            "pruned vs masked logits, group %s, channels %s",
            group, java.util.Arrays.toString(channels))
        .isLessThanOrEqualTo(tolerance * scale);
    return outcome;
  }

  /** A random non-empty subset of 0..count-1 leaving at least {@code keep}, sorted. */
  static int[] randomSubset(Random random, int count, int keep) {
    int size = 1 + random.nextInt(count - keep);
    return random.ints(0, count).distinct().limit(size).sorted().toArray();
  }

  /** The model with its final softmax replaced by the identity: it outputs logits. */
  static CnnModel logits(CnnModel model) {
    if (model.isGraph()) {
      ComputationGraphConfiguration conf = model.graph().getConfiguration().clone();
      String node = conf.getNetworkOutputs().get(0);
      while (node != null && conf.getVertices().get(node) instanceof LayerVertex vertex) {
        Layer layer = vertex.getLayerConf().getLayer();
        boolean softmax = identity(layer);
        if (!softmax && !(layer instanceof LossLayer)) {
          break;
        }
        List<String> inputs = conf.getVertexInputs().get(node);
        node = inputs.size() == 1 ? inputs.get(0) : null;
      }
      ComputationGraph graph = new ComputationGraph(conf);
      graph.init(model.graph().params().dup(), false);
      return model.with(graph);
    }
    MultiLayerConfiguration conf = model.network().getLayerWiseConfigurations().clone();
    for (int i = conf.getConfs().size() - 1; i >= 0; i--) {
      Layer layer = conf.getConf(i).getLayer();
      if (!identity(layer) && !(layer instanceof LossLayer)) {
        break;
      }
    }
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init(model.network().params().dup(), false);
    return model.with(network);
  }

  /** Replaces a softmax activation with the identity; whether it did. */
  private static boolean identity(Layer layer) {
    if (layer instanceof BaseLayer base && base.getActivationFn() instanceof ActivationSoftmax) {
      base.setActivationFn(new ActivationIdentity());
      return true;
    }
    if (layer instanceof ActivationLayer act
        && act.getActivationFn() instanceof ActivationSoftmax) {
      act.setActivationFn(new ActivationIdentity());
      return true;
    }
    if (layer instanceof LossLayer loss && loss.getActivationFn() instanceof ActivationSoftmax) {
      loss.setActivationFn(new ActivationIdentity());
      return true;
    }
    return false;
  }
}
