package org.cnnsimplifier.workers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import org.cnnsimplifier.engine.EngineException;
import org.cnnsimplifier.system.ApiException;
import org.springframework.dao.DataAccessException;

/**
 * Whether another attempt of a failed job can succeed. Permanent: the job's inputs are wrong (an
 * unusable model, data set or plan) or the computation failed in a way the same inputs reproduce
 * (an argument or state the engine or DL4J refuses); retrying those only delays the answer.
 * Transient: the infrastructure failed (I/O, the database, memory), which another attempt, maybe on
 * another worker, may not meet.
 */
final class Failures {
  private Failures() {}

  static boolean isPermanent(Throwable failure) {
    if (failure instanceof EngineException || failure instanceof ApiException) {
      return true;
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException
          || cause instanceof UncheckedIOException
          || cause instanceof DataAccessException
          || cause instanceof SQLException
          || cause instanceof VirtualMachineError
          || cause instanceof InterruptedException) {
        return false;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return failure instanceof IllegalArgumentException
        || failure instanceof IllegalStateException
        || failure instanceof UnsupportedOperationException
        || failure instanceof ArithmeticException
        || failure instanceof IndexOutOfBoundsException
        || failure instanceof ClassCastException
        || failure instanceof NullPointerException;
  }

  /** The message stored with the job: what failed, in the words of the failure. */
  static String describe(Throwable failure) {
    return failure instanceof EngineException || failure instanceof ApiException
        ? failure.getMessage()
        : failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }
}
