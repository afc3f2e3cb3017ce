package org.cnnsimplifier.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;

/**
 * Runs a service test with the {@code postgres} profile against the test PostgreSQL ({@link
 * PostgresTestDatabase}); skipped when there is none.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ActiveProfiles("postgres")
@ExtendWith(OnPostgres.Required.class)
@ContextConfiguration(initializers = OnPostgres.Database.class)
public @interface OnPostgres {

  /** Skips the class before its context is made when no PostgreSQL can be had. */
  final class Required implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
      PostgresTestDatabase.require();
    }
  }

  /** Points the context's data source at the test database. */
  final class Database implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
      context
          .getEnvironment()
          .getPropertySources()
          .addFirst(
              new MapPropertySource(
                  "test-postgres",
                  Map.of(
                      "spring.datasource.url", PostgresTestDatabase.url(),
                      "spring.datasource.username", PostgresTestDatabase.user(),
                      "spring.datasource.password", PostgresTestDatabase.password())));
    }
  }
}
