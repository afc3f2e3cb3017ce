package org.cnnsimplifier.system;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

/** Accepts an API key of {@code cnn.security.api-keys} as its owner. */
final class ApiKeyAuthenticationProvider implements AuthenticationProvider {
  private final Map<String, Owner> keys;

  ApiKeyAuthenticationProvider(Map<String, Owner> keys) {
    this.keys = Map.copyOf(keys);
  }

  @Override
  public Authentication authenticate(Authentication authentication) {
    Owner owner = lookUp((String) authentication.getCredentials());
    if (owner == null) {
      throw new BadCredentialsException("the API key is not valid");
    }
    return ApiKeyAuthentication.of(owner);
  }

  @Override
  public boolean supports(Class<?> authentication) {
    return ApiKeyAuthentication.class.isAssignableFrom(authentication);
  }

  /** Compares in constant time so response times do not reveal how much of a key matched. */
  private Owner lookUp(String presented) {
    byte[] given = presented.getBytes(StandardCharsets.UTF_8);
    Owner found = null;
    for (Map.Entry<String, Owner> entry : keys.entrySet()) {
      if (MessageDigest.isEqual(given, entry.getKey().getBytes(StandardCharsets.UTF_8))) {
        found = entry.getValue();
      }
    }
    return found;
  }
}
