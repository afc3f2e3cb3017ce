package org.cnnsimplifier.workers;

import org.cnnsimplifier.support.PostgresTestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link WorkerIntegrationTest} with the {@code postgres} profile on the test PostgreSQL (skipped
 * without).
 */
@ActiveProfiles("postgres")
class WorkerIntegrationPostgresTest extends WorkerIntegrationTest {

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    PostgresTestDatabase.register(registry);
  }

  @BeforeAll
  static void requirePostgres() {
    PostgresTestDatabase.require();
  }
}
