package org.cnnsimplifier.support;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service with the {@code postgres} profile against the test PostgreSQL ({@link
 * PostgresTestDatabase}; skipped without one). Subclasses add {@code @SpringBootTest(webEnvironment
 * = RANDOM_PORT, properties = …)}.
 */
@ActiveProfiles("postgres")
public abstract class PostgresServiceTest extends ServiceTest {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    PostgresTestDatabase.register(registry);
  }

  @BeforeAll
  static void requirePostgres() {
    PostgresTestDatabase.require();
  }
}
