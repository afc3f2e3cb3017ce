package org.cnnsimplifier.system;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * API keys through Spring Security: a filter chain whose {@link AuthenticationFilter} turns the key
 * header into an {@link ApiKeyAuthentication} that {@link ApiKeyAuthenticationProvider} accepts as
 * its owner. {@code /api/**} needs a key when keys are configured; with none (the embedded default)
 * everything is the {@link Owner#ANONYMOUS} owner and the service says so at start-up. With {@code
 * cnn.security.require-keys} (the {@code postgres} profile) the service refuses to start without
 * keys, and Actuator's endpoints other than health need a key too. Paths are matched by Spring
 * Security, after its firewall refused what could smuggle a path past a prefix ({@code /api;x=1/…},
 * encoded slashes): those get 400.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
class ApiSecurity {
  private static final Logger log = LoggerFactory.getLogger(ApiSecurity.class);

  @Bean
  SecurityFilterChain apiKeyFilterChain(HttpSecurity http, SecurityProperties properties)
      throws Exception {
    Map<String, Owner> keys = properties.keys();
    boolean open = keys.isEmpty();
    if (open && properties.requireKeys()) {
      throw new IllegalStateException(
          "no API keys are configured: set CNN_API_KEYS (owner:key pairs, comma-separated);"
              + " this profile does not run open");
    }
    if (open) {
      log.warn(
          "No API keys configured: the API is OPEN to anyone who can reach it, and everything"
              + " belongs to the owner '{}'. Set CNN_API_KEYS to require keys.",
          Owner.ANONYMOUS.name());
    } else {
      log.info("API keys required ({} keys, header {})", keys.size(), properties.header());
    }
    http.csrf(csrf -> csrf.disable())
        .httpBasic(basic -> basic.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .requestCache(cache -> cache.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        .exceptionHandling(
            errors ->
                errors.authenticationEntryPoint(
                    (request, response, e) ->
                        problem(
                            response,
                            HttpStatus.UNAUTHORIZED,
                            "the " + properties.header() + " header is missing")));
    if (open) {
      http.anonymous(anonymous -> anonymous.principal(Owner.ANONYMOUS))
          .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
      return http.build();
    }
    AuthenticationFilter keyFilter =
        new AuthenticationFilter(
            new ProviderManager(new ApiKeyAuthenticationProvider(keys)),
            request -> {
              String key = request.getHeader(properties.header());
              return key == null || key.isBlank() ? null : ApiKeyAuthentication.presented(key);
            });
    keyFilter.setSuccessHandler((request, response, authentication) -> {});
    keyFilter.setFailureHandler(
        (request, response, e) -> problem(response, HttpStatus.UNAUTHORIZED, e.getMessage()));
    http.addFilterBefore(keyFilter, BasicAuthenticationFilter.class)
        .anonymous(anonymous -> anonymous.disable())
        .authorizeHttpRequests(
            requests -> {
              requests.requestMatchers("/api/**").authenticated();
              requests.requestMatchers("/actuator/health", "/actuator/health/**").permitAll();
              if (properties.requireKeys()) {
                requests.requestMatchers("/actuator/**").authenticated();
              }
              requests.anyRequest().permitAll();
            });
    return http.build();
  }

  /** A request the firewall refused: 400, as a problem detail like every other error. */
  @Bean
  RequestRejectedHandler requestRejectedHandler() {
    return (request, response, e) ->
        problem(
            response,
            HttpStatus.BAD_REQUEST,
            "the request URL is not allowed: " + e.getMessage() + "; send a plain path");
  }

  private static void problem(HttpServletResponse response, HttpStatus status, String detail)
      throws IOException {
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response
        .getOutputStream()
        .write(
            ("{\"type\":\"about:blank\",\"title\":\""
                    + status.getReasonPhrase()
                    + "\",\"status\":"
                    + status.value()
                    + ",\"detail\":\""
                    + detail.replace("\\", "\\\\").replace("\"", "\\\"")
                    + "\"}")
                .getBytes(StandardCharsets.UTF_8));
  }
}
