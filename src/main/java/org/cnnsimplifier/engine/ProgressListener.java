package org.cnnsimplifier.engine;

import org.cnnsimplifier.engine.report.StepEvent;

/** Receives a simplification's progress as it happens. Called on the simplifying thread. */
public interface ProgressListener {

  /** Ignores everything. */
  ProgressListener NONE = new ProgressListener() {};

  /** A layer is about to be scored and simplified ({@code index} is 0-based in the plan). */
  default void onLayerStarted(String layer, int index, int layers) {}

  /** One elimination step, with its retraining, is complete. */
  default void onStep(StepEvent event) {}

  /**
   * A layer boundary was reached; resuming from this checkpoint gives the same final model as going
   * on. Write it somewhere durable if the run may be interrupted. The checkpoint's model is freed
   * when this method returns: keep {@link Checkpoint#copy()} to use it later.
   */
  default void onCheckpoint(Checkpoint checkpoint) {}
}
