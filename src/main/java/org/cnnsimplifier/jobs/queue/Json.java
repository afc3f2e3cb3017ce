package org.cnnsimplifier.jobs.queue;

/** The small JSON objects of event payloads, without a mapper. */
final class Json {
  private Json() {}

  /** An object of alternating keys and values (strings, numbers, booleans or null). */
  static String object(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("keys and values must pair up");
    }
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < keysAndValues.length; i += 2) {
      if (i > 0) {
        out.append(',');
      }
      string(out, (String) keysAndValues[i]);
      out.append(':');
      Object value = keysAndValues[i + 1];
      if (value == null || value instanceof Number || value instanceof Boolean) {
        out.append(value);
      } else {
        string(out, value.toString());
      }
    }
    return out.append('}').toString();
  }

  private static void string(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
