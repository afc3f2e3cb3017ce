package org.cnnsimplifier;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * The CNN Simplifier service. Callers authenticate with API keys (system.ApiKeyAuthentication), so
 * Spring Boot's default user, with a password printed at start-up, is not set up.
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
public class CnnSimplifierApplication {

  public static void main(String[] args) {
    SpringApplication.run(CnnSimplifierApplication.class, args);
  }
}
