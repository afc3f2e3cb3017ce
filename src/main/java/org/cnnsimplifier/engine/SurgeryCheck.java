package org.cnnsimplifier.engine;

import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.NetworkMemory;
import org.cnnsimplifier.engine.surgery.ChannelGraph;
import org.cnnsimplifier.engine.surgery.KernelMask;
import org.cnnsimplifier.engine.surgery.PruningGroup;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The check every simplified model passes before it is kept, on a fixed batch of validation images:
 * its output is finite, and right after an elimination it equals the output of the model before,
 * with the removed channels zeroed where they are read, within {@link #TOLERANCE}.
 */
final class SurgeryCheck {
  /** Largest difference allowed between class probabilities of the pruned and masked models. */
  static final double TOLERANCE = 1e-3;

  /** Images of the fixed batch. */
  private static final int IMAGES = 16;

  private final INDArray batch;

  private SurgeryCheck(INDArray batch) {
    this.batch = batch;
  }

  /** The check on the first images of the validation split. */
  static SurgeryCheck on(DataSetIterator validation) {
    validation.reset();
    if (!validation.hasNext()) {
      return new SurgeryCheck(null);
    }
    DataSet first = validation.next();
    INDArray features = first.getFeatures();
    long n = Math.min(IMAGES, features.size(0));
    return new SurgeryCheck(features.get(NDArrayIndex.interval(0, n)).dup().detach());
  }

  /**
   * Checks an elimination: {@code after} is {@code before} without the given channels of the group.
   *
   * @throws SimplificationCheckException if the outputs are not finite or differ
   */
  void elimination(CnnModel before, String group, int[] channels, CnnModel after) {
    if (batch == null || channels.length == 0) {
      return;
    }
    INDArray actual =
        finite(after, "after removing kernels of '" + group + "'", "the model before was finite");
    PruningGroup pruned = ChannelGraph.of(before).prunable(group);
    if (pruned.exactMaskNote() != null) {
      return; // Only finiteness can be checked where a layer mixes channels.
    }
    CnnModel masked = KernelMask.zeroed(before, group, channels);
    INDArray expected;
    try {
      expected = masked.output(batch).castTo(DataType.DOUBLE);
    } finally {
      masked.close();
    }
    INDArray gap = actual.sub(expected);
    double difference = gap.amaxNumber().doubleValue();
    NetworkMemory.close(gap, expected, actual);
    if (!(difference <= TOLERANCE)) {
      throw new SimplificationCheckException(
          "removing kernels of '"
              + group
              + "' changed what the model computes: its outputs differ from the original with"
              + " those kernels zeroed by "
              + difference
              + " (allowed "
              + TOLERANCE
              + ")");
    }
  }

  /**
   * Checks that the model's output is finite.
   *
   * @throws SimplificationCheckException naming {@code when} if it is not
   */
  void retrained(CnnModel model, String when) {
    if (batch != null) {
      NetworkMemory.close(finite(model, when, "retraining diverged — try a lower learning rate"));
    }
  }

  private INDArray finite(CnnModel model, String when, String hint) {
    INDArray output = model.output(batch).castTo(DataType.DOUBLE);
    double sum = output.sumNumber().doubleValue();
    if (!Double.isFinite(sum)) {
      throw new SimplificationCheckException(
          "the model's output " + when + " is not finite (NaN or infinity); " + hint);
    }
    return output;
  }
}
