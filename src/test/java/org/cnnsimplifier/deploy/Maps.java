package org.cnnsimplifier.deploy;

import java.util.List;
import java.util.Map;

/** Walking parsed YAML (maps, lists and scalars) without a cast at every step. */
final class Maps {
  private Maps() {}

  /** The value at a path of map keys, or null where the path ends early. */
  static Object path(Object root, String... keys) {
    Object current = root;
    for (String key : keys) {
      if (!(current instanceof Map<?, ?> map)) {
        return null;
      }
      current = map.get(key);
    }
    return current;
  }

  @SuppressWarnings("unchecked")
  static <V> Map<String, V> map(Object value) {
    return value == null ? Map.of() : (Map<String, V>) value;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> cast(Map<?, ?> value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> list(Object value) {
    return value == null ? List.of() : (List<Map<String, Object>>) value;
  }
}
