package org.cnnsimplifier.engine.retrain;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training stage in the middle: enough to go on from it exactly as if it had not stopped, given
 * the model the stage started from. The arrays are the training graph's flattened parameters and
 * updater state.
 *
 * @param batchesDone batches trained in the stage so far
 * @param startIteration the graph's iteration count when the stage started (its schedule's origin)
 * @param iteration the graph's iteration count now
 * @param params the graph's parameters now
 * @param updaterState the graph's updater state now (may be empty)
 * @param bestAccuracy early stopping: the best validation accuracy so far (NaN without)
 * @param sinceBest early stopping: evaluations since the best
 * @param bestParams early stopping: the parameters at the best, or null
 * @param bestUpdaterState early stopping: the updater state at the best, or null
 */
public record StageProgress(
    long batchesDone,
    int startIteration,
    int iteration,
    INDArray params,
    INDArray updaterState,
    double bestAccuracy,
    int sinceBest,
    INDArray bestParams,
    INDArray bestUpdaterState) {

  /** Writes the progress (see {@link #readFrom}). */
  public void writeTo(DataOutputStream out) throws IOException {
    out.writeLong(batchesDone);
    out.writeInt(startIteration);
    out.writeInt(iteration);
    write(params, out);
    write(updaterState, out);
    out.writeDouble(bestAccuracy);
    out.writeInt(sinceBest);
    write(bestParams, out);
    write(bestUpdaterState, out);
  }

  /** Reads progress written by {@link #writeTo}. */
  public static StageProgress readFrom(DataInputStream in) throws IOException {
    return new StageProgress(
        in.readLong(),
        in.readInt(),
        in.readInt(),
        read(in),
        read(in),
        in.readDouble(),
        in.readInt(),
        read(in),
        read(in));
  }

  private static void write(INDArray array, DataOutputStream out) throws IOException {
    out.writeBoolean(array != null);
    if (array != null) {
      Nd4j.write(array, out);
    }
  }

  private static INDArray read(DataInputStream in) throws IOException {
    return in.readBoolean() ? Nd4j.read(in) : null;
  }
}
