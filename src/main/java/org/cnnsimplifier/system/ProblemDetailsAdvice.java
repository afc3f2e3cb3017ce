package org.cnnsimplifier.system;

import java.util.LinkedHashMap;
import java.util.Map;
import org.cnnsimplifier.engine.DatasetMismatchException;
import org.cnnsimplifier.engine.EngineException;
import org.cnnsimplifier.engine.InvalidPlanException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.util.unit.DataSize;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * The one place where errors become {@code application/problem+json} (RFC 9457) answers: typed
 * exceptions from the modules and the engine, and Spring MVC's own (bad JSON, wrong method, …).
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

  @ExceptionHandler(ApiException.class)
  ProblemDetail api(ApiException e) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
    if (!e.fieldErrors().isEmpty()) {
      problem.setProperty("errors", e.fieldErrors());
    }
    return problem;
  }

  /** The plan or the data does not fit the model: the request is wrong. */
  @ExceptionHandler({InvalidPlanException.class, DatasetMismatchException.class})
  ProblemDetail plan(EngineException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
  }

  /** An uploaded file the engine cannot use. */
  @ExceptionHandler(EngineException.class)
  ProblemDetail engine(EngineException e) {
    return ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT, e.getMessage());
  }

  /** The upload limit, for multipart parsing's refusal (which does not always know it). */
  private final DataSize uploadLimit;

  ProblemDetailsAdvice(@Value("${cnn.uploads.max-bytes:2GB}") DataSize uploadLimit) {
    this.uploadLimit = uploadLimit;
  }

  @Override
  protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
      MaxUploadSizeExceededException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    long limit = ex.getMaxUploadSize() > 0 ? ex.getMaxUploadSize() : uploadLimit.toBytes();
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(
            HttpStatus.CONTENT_TOO_LARGE,
            "the upload is larger than the limit of "
                + limit
                + " bytes (cnn.uploads.max-bytes); nothing was stored");
    return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(problem);
  }

  /** A body that is not JSON, or JSON of the wrong shape: which field, and what it should be. */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    ReadProblems.Explained explained = ReadProblems.explain(ex.getCause());
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, explained.detail());
    if (!explained.errors().isEmpty()) {
      problem.setProperty("errors", explained.errors());
    }
    return ResponseEntity.badRequest().body(problem);
  }

  /** A path variable or query parameter that does not convert: {@code id must be a UUID …}. */
  @Override
  protected ResponseEntity<Object> handleTypeMismatch(
      TypeMismatchException ex, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String name = ex.getPropertyName() != null ? ex.getPropertyName() : "parameter";
    Class<?> type = ex.getRequiredType();
    if (ex instanceof MethodArgumentTypeMismatchException argument) {
      name = argument.getName();
      type = argument.getParameter().nestedIfOptional().getNestedParameterType();
    }
    String message = ReadProblems.expected(type) + ", got '" + ex.getValue() + "'";
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, name + " " + message);
    problem.setProperty("errors", Map.of(name, message));
    return ResponseEntity.badRequest().body(problem);
  }

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    Map<String, String> errors = new LinkedHashMap<>();
    ex.getBindingResult()
        .getFieldErrors()
        .forEach(error -> errors.put(error.getField(), error.getDefaultMessage()));
    ProblemDetail problem =
        ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "the request has invalid fields");
    problem.setProperty("errors", errors);
    return ResponseEntity.badRequest().body(problem);
  }

  /** Anything unexpected: logged with its stack, answered without internals. */
  @ExceptionHandler(Exception.class)
  ProblemDetail unexpected(Exception e) {
    log.error("unexpected error", e);
    return ProblemDetail.forStatusAndDetail(
        HttpStatus.INTERNAL_SERVER_ERROR, "an unexpected error occurred; it has been logged");
  }
}
