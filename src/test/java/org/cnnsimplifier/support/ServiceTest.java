package org.cnnsimplifier.support;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service on a random port, its data directory in a temporary folder: by default the embedded
 * H2 database there, as {@code ./mvnw spring-boot:run} runs; {@link PostgresServiceTest} switches
 * to PostgreSQL. Subclasses add {@code @SpringBootTest(webEnvironment = RANDOM_PORT, properties =
 * …)}.
 *
 * <p>The context is closed after each class, so its workers stop polling before the next class
 * runs.
 */
@DirtiesContext
public abstract class ServiceTest {
  @TempDir protected static Path dataDir;

  @LocalServerPort protected int port;
  @Autowired protected JdbcClient jdbc;

  @DynamicPropertySource
  static void dataDirectory(DynamicPropertyRegistry registry) {
    registry.add("cnn.data-dir", () -> dataDir.toString());
  }

  /** Empties the queue: jobs and their events. */
  protected void deleteJobs() {
    jdbc.sql("DELETE FROM job_review").update();
    jdbc.sql("DELETE FROM job_event").update();
    jdbc.sql("DELETE FROM job").update();
  }
}
