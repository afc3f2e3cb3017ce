package org.cnnsimplifier.support;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service on a random port with the {@code postgres} profile against the test PostgreSQL
 * ({@link PostgresTestDatabase}; skipped without one), its data directory in a temporary folder.
 * Subclasses add {@code @SpringBootTest(webEnvironment = RANDOM_PORT, properties = …)}.
 *
 * <p>The context is closed after each class, so its workers stop polling the shared database before
 * the next class runs.
 */
@ActiveProfiles("postgres")
@DirtiesContext
public abstract class PostgresServiceTest {
  @TempDir protected static Path dataDir;

  @LocalServerPort protected int port;
  @Autowired protected JdbcClient jdbc;

  @DynamicPropertySource
  static void postgres(DynamicPropertyRegistry registry) {
    PostgresTestDatabase.register(registry);
    registry.add("cnn.data-dir", () -> dataDir.toString());
  }

  @BeforeAll
  static void requirePostgres() {
    PostgresTestDatabase.require();
  }

  /** Empties the queue: jobs and their events. */
  protected void deleteJobs() {
    jdbc.sql("DELETE FROM job_event").update();
    jdbc.sql("DELETE FROM job").update();
  }
}
