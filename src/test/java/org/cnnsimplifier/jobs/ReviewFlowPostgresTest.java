package org.cnnsimplifier.jobs;

import org.cnnsimplifier.support.PostgresTestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link ReviewFlowTest} with the {@code postgres} profile on the test PostgreSQL (skipped
 * without).
 */
@ActiveProfiles("postgres")
class ReviewFlowPostgresTest extends ReviewFlowTest {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    PostgresTestDatabase.register(registry);
  }

  @BeforeAll
  static void requirePostgres() {
    PostgresTestDatabase.require();
  }
}
