package org.cnnsimplifier.engine;

/**
 * A simplified model failed the check made before it is kept: its output is not finite (retraining
 * diverged), or it does not compute what the original computes with the removed channels zeroed.
 * Running the same job again gives the same result, so it is not retried.
 */
public class SimplificationCheckException extends EngineException {

  public SimplificationCheckException(String message) {
    super(message);
  }
}
