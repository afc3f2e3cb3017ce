package org.cnnsimplifier.engine.target;

/** The cost of per-group levels of the grid: predicted cheaply, or exactly. */
interface Costs {
  /** The unpruned model's cost. */
  Models.Cost unpruned();

  /** The predicted cost of the levels (one per group). */
  Models.Cost predict(int[] levels);

  /** The exact cost of the levels. */
  Models.Cost exact(int[] levels);
}
