package org.cnnsimplifier.engine;

import org.cnnsimplifier.engine.report.StepEvent;

/** Receives a simplification's progress as it happens. Called on the simplifying thread. */
public interface ProgressListener {

  /** Ignores everything. */
  ProgressListener NONE = new ProgressListener() {};

  /** A layer is about to be scored and simplified ({@code index} is 0-based in the plan). */
  default void onLayerStarted(String layer, int index, int layers) {}

  /**
   * Retraining is under way in a layer ({@code "*"}: the final whole-model fine-tune): {@code done}
   * of {@code planned} batches of this stage, {@code runDone} of {@code runPlanned} of the whole
   * run ({@code runPlanned} 0 when not known in advance: legacy epochs with ITERATIVE_FULL). Called
   * about a hundred times per stage.
   */
  default void onTraining(String layer, long done, long planned, long runDone, long runPlanned) {}

  /** One elimination step, with its retraining, is complete. */
  default void onStep(StepEvent event) {}

  /**
   * A layer boundary was reached; resuming from this checkpoint gives the same final model as going
   * on. Write it somewhere durable if the run may be interrupted.
   */
  default void onCheckpoint(Checkpoint checkpoint) {}
}
