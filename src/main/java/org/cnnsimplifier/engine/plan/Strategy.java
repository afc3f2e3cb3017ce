package org.cnnsimplifier.engine.plan;

/** How elimination and retraining alternate (method.md, "Strategies"). */
public enum Strategy {
  /**
   * The paper's: per layer, eliminate, then retrain layers 1..i+1 with every later layer frozen
   * (weights preserved, gradients still flowing through them).
   */
  PROGRESSIVE,
  /** The usual baseline: eliminate a few kernels (the step), retrain the whole model, repeat. */
  ITERATIVE_FULL,
  /** Eliminate in every layer at once (scores from the original model), then fine-tune once. */
  ONE_SHOT
}
