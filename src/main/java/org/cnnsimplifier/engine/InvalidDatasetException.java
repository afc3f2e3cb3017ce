package org.cnnsimplifier.engine;

/**
 * The data set cannot be read, is unsafe (an archive escaping its folder, a zip bomb), or is
 * malformed.
 */
public class InvalidDatasetException extends EngineException {

  public InvalidDatasetException(String message) {
    super(message);
  }

  public InvalidDatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
