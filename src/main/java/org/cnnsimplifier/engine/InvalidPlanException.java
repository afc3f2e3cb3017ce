package org.cnnsimplifier.engine;

/** The simplification plan names layers, ratios or kernels that do not fit the model. */
public class InvalidPlanException extends EngineException {

  public InvalidPlanException(String message) {
    super(message);
  }

  public InvalidPlanException(String message, Throwable cause) {
    super(message, cause);
  }
}
