package org.cnnsimplifier.engine;

/**
 * A problem with what the user gave the engine (a model, a data set, a plan), told in words the
 * user can act on. Subclasses say which kind of input was wrong; callers map them to responses.
 */
public class EngineException extends RuntimeException {

  public EngineException(String message) {
    super(message);
  }

  public EngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
