package org.cnnsimplifier.engine;

/** The file is not a model the engine can read, or the model cannot be simplified. */
public class InvalidModelException extends EngineException {

  public InvalidModelException(String message) {
    super(message);
  }

  public InvalidModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
