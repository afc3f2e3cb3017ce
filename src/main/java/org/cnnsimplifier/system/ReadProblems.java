package org.cnnsimplifier.system;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;
import tools.jackson.databind.exc.ValueInstantiationException;

/**
 * What a request body or parameter that could not be read should have been, in words a client can
 * act on: the field (as a JSON path like {@code retraining.epochs} or {@code layers[0]}) and the
 * expected form.
 */
final class ReadProblems {
  private ReadProblems() {}

  /** A summary and field errors for a body Jackson could not read. */
  record Explained(String detail, Map<String, String> errors) {}

  static Explained explain(Throwable cause) {
    if (cause instanceof PropertyBindingException unknown) {
      String field = path(unknown);
      String known =
          unknown.getKnownPropertyIds() == null
              ? ""
              : "; the fields are "
                  + unknown.getKnownPropertyIds().stream()
                      .map(Object::toString)
                      .sorted()
                      .collect(Collectors.joining(", "));
      return new Explained(
          "the request has a field this API does not know: '" + field + "'",
          Map.of(field, "unknown field" + known));
    }
    if (cause instanceof InvalidFormatException format) {
      String field = path(format);
      return new Explained(
          "the request has a value of the wrong form in '" + field + "'",
          Map.of(field, expected(format.getTargetType()) + ", got '" + format.getValue() + "'"));
    }
    if (cause instanceof ValueInstantiationException invalid) {
      String field = path(invalid);
      Throwable reason = invalid.getCause() != null ? invalid.getCause() : invalid;
      return new Explained(
          "the request has an invalid value in '" + field + "'",
          Map.of(field.isEmpty() ? "body" : field, String.valueOf(reason.getMessage())));
    }
    if (cause instanceof MismatchedInputException mismatch) {
      String field = path(mismatch);
      String key = field.isEmpty() ? "body" : field;
      return new Explained(
          "the request has a value of the wrong type in '" + key + "'",
          Map.of(key, expected(mismatch.getTargetType())));
    }
    if (cause instanceof StreamReadException syntax) {
      String where =
          syntax.getLocation() == null
              ? ""
              : " at line "
                  + syntax.getLocation().getLineNr()
                  + ", column "
                  + syntax.getLocation().getColumnNr();
      return new Explained(
          "the request body is not valid JSON" + where + ": " + syntax.getOriginalMessage(),
          Map.of());
    }
    if (cause instanceof JacksonException other) {
      return new Explained(
          "the request body cannot be read: " + other.getOriginalMessage(), Map.of());
    }
    return new Explained(
        "the request body is missing or cannot be read; send a JSON object (Content-Type:"
            + " application/json)",
        Map.of());
  }

  /** "must be …" for a target type. */
  static String expected(Class<?> type) {
    if (type == null) {
      return "has the wrong type";
    }
    if (type == UUID.class) {
      return "must be a UUID such as 7b0c7a1e-2c2b-4a55-9d52-0b0e6f7d9a10";
    }
    if (type.isEnum()) {
      return "must be one of "
          + Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
    }
    if (type == Duration.class) {
      return "must be an ISO-8601 duration such as PT2H or PT30M";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "must be a whole number";
    }
    if (type == Double.class || type == double.class || type == Float.class) {
      return "must be a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "must be true or false";
    }
    if (type == String.class) {
      return "must be a string";
    }
    if (List.class.isAssignableFrom(type) || type.isArray()) {
      return "must be a JSON array";
    }
    if (Map.class.isAssignableFrom(type)) {
      return "must be a JSON object";
    }
    return "must be a JSON object (" + type.getSimpleName() + ")";
  }

  /** {@code retraining.epochs}, {@code layers[0]}; empty at the top level. */
  static String path(JacksonException e) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference reference : e.getPath()) {
      if (reference.getPropertyName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }
}
