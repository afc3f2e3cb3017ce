package org.cnnsimplifier.system;

import java.util.Map;
import org.springframework.http.HttpStatus;

/**
 * A request the service refuses, with the status and a message naming what is wrong. Turned into
 * {@code application/problem+json} by {@link ProblemDetailsAdvice}.
 */
public class ApiException extends RuntimeException {
  private final HttpStatus status;
  private final Map<String, String> fieldErrors;

  public ApiException(HttpStatus status, String message) {
    this(status, message, Map.of());
  }

  public ApiException(HttpStatus status, String message, Map<String, String> fieldErrors) {
    super(message);
    this.status = status;
    this.fieldErrors = Map.copyOf(fieldErrors);
  }

  public HttpStatus status() {
    return status;
  }

  /** Field name to message, for 400 answers about a request body. */
  public Map<String, String> fieldErrors() {
    return fieldErrors;
  }

  public static ApiException notFound(String what, Object id) {
    return new ApiException(HttpStatus.NOT_FOUND, what + " " + id + " does not exist");
  }

  public static ApiException conflict(String message) {
    return new ApiException(HttpStatus.CONFLICT, message);
  }

  public static ApiException badRequest(String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, message);
  }

  public static ApiException badRequest(String message, Map<String, String> fieldErrors) {
    return new ApiException(HttpStatus.BAD_REQUEST, message, fieldErrors);
  }
}
