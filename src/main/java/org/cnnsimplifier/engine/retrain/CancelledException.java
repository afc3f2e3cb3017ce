package org.cnnsimplifier.engine.retrain;

/** A run stopped because its cancellation was requested; the model given to it is unchanged. */
public class CancelledException extends RuntimeException {

  public CancelledException() {
    super("cancelled");
  }
}
