package org.cnnsimplifier.system;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * API keys.
 *
 * @param apiKeys {@code owner:key} pairs separated by commas; empty means open access
 * @param requireKeys refuse to start without keys (the {@code postgres} profile sets it)
 * @param header the request header carrying the key
 */
@ConfigurationProperties("cnn.security")
public record SecurityProperties(String apiKeys, boolean requireKeys, String header) {

  public SecurityProperties {
    apiKeys = apiKeys == null ? "" : apiKeys.trim();
    header = header == null || header.isBlank() ? "X-API-Key" : header;
  }

  /** Key to owner. */
  public Map<String, Owner> keys() {
    Map<String, Owner> result = new LinkedHashMap<>();
    if (apiKeys.isEmpty()) {
      return result;
    }
    for (String pair : apiKeys.split(",")) {
      String trimmed = pair.trim();
      int colon = trimmed.indexOf(':');
      if (colon <= 0 || colon == trimmed.length() - 1) {
        throw new IllegalStateException(
            "cnn.security.api-keys must be owner:key pairs separated by commas; got '"
                + trimmed.replaceAll(":.*", ":…")
                + "'");
      }
      String key = trimmed.substring(colon + 1);
      if (result.put(key, new Owner(trimmed.substring(0, colon))) != null) {
        throw new IllegalStateException("an API key is given twice in cnn.security.api-keys");
      }
    }
    return result;
  }
}
