package org.cnnsimplifier.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code /api/**} requests by their API key header and records the key's owner on the
 * request. With no keys configured, every request is the {@link Owner#ANONYMOUS} owner (the
 * embedded default says so at start-up); with {@code require-keys}, the service refuses to start
 * without keys.
 */
@Component
class ApiKeyFilter extends OncePerRequestFilter {
  private static final Logger log = LoggerFactory.getLogger(ApiKeyFilter.class);

  private final Map<String, Owner> keys;
  private final String header;

  ApiKeyFilter(SecurityProperties properties) {
    this.keys = properties.keys();
    this.header = properties.header();
    if (keys.isEmpty()) {
      if (properties.requireKeys()) {
        throw new IllegalStateException(
            "no API keys are configured: set CNN_API_KEYS (owner:key pairs, comma-separated);"
                + " this profile does not run open");
      }
      log.warn(
          "No API keys configured: the API is OPEN to anyone who can reach it, and everything"
              + " belongs to the owner '{}'. Set CNN_API_KEYS to require keys.",
          Owner.ANONYMOUS.name());
    } else {
      log.info("API keys required ({} keys, header {})", keys.size(), header);
    }
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith(request.getContextPath() + "/api/");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (keys.isEmpty()) {
      request.setAttribute(Owner.ATTRIBUTE, Owner.ANONYMOUS);
      chain.doFilter(request, response);
      return;
    }
    String presented = request.getHeader(header);
    Owner owner = presented == null ? null : lookUp(presented);
    if (owner == null) {
      response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
      response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
      String detail =
          presented == null ? "the " + header + " header is missing" : "the API key is not valid";
      response
          .getOutputStream()
          .write(
              ("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\""
                      + detail
                      + "\"}")
                  .getBytes(StandardCharsets.UTF_8));
      return;
    }
    request.setAttribute(Owner.ATTRIBUTE, owner);
    chain.doFilter(request, response);
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
