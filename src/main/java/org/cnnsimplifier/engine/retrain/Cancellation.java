package org.cnnsimplifier.engine.retrain;

/** Asked between batches whether the run should stop. */
@FunctionalInterface
public interface Cancellation {

  /** Never cancels. */
  Cancellation NEVER = () -> false;

  boolean isRequested();

  /** Throws {@link CancelledException} if cancellation was requested. */
  default void check() {
    if (isRequested()) {
      throw new CancelledException();
    }
  }
}
