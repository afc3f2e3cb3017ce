package org.cnnsimplifier.engine;

/** The data set does not fit the model: image size, channels or number of classes differ. */
public class DatasetMismatchException extends EngineException {

  public DatasetMismatchException(String message) {
    super(message);
  }

  public DatasetMismatchException(String message, Throwable cause) {
    super(message, cause);
  }
}
