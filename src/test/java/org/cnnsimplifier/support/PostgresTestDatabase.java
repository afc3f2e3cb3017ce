package org.cnnsimplifier.support;

import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real PostgreSQL the integration tests run against: the server named by {@code POSTGRES_URL}
 * (with {@code POSTGRES_USER}, {@code POSTGRES_PASSWORD}) when set, as in CI; otherwise a
 * Testcontainers container when Docker is available. With neither, the tests that need it are
 * skipped (never passed).
 */
public final class PostgresTestDatabase {
  private static volatile PostgreSQLContainer container;
  private static String url;
  private static String user;
  private static String password;

  private PostgresTestDatabase() {}

  /** Skips the calling test unless a PostgreSQL server can be had. */
  public static synchronized void require() {
    if (url != null) {
      return;
    }
    String fromEnv = System.getenv("POSTGRES_URL");
    if (fromEnv != null && !fromEnv.isBlank()) {
      url = fromEnv;
      user = envOr("POSTGRES_USER", "postgres");
      password = envOr("POSTGRES_PASSWORD", "");
    } else {
      boolean docker;
      try {
        docker = DockerClientFactory.instance().isDockerAvailable();
      } catch (Throwable e) {
        docker = false;
      }
      Assumptions.assumeTrue(
          docker, "PostgreSQL tests need POSTGRES_URL or a Docker engine for Testcontainers");
      container = new PostgreSQLContainer("postgres:16-alpine");
      container.start();
      url = container.getJdbcUrl();
      user = container.getUsername();
      password = container.getPassword();
    }
    try (Connection connection = DriverManager.getConnection(url, user, password)) {
      connection.isValid(5);
    } catch (Exception e) {
      String at = url;
      url = null;
      throw new IllegalStateException("cannot connect to PostgreSQL at " + at, e);
    }
  }

  public static String url() {
    require();
    return url;
  }

  public static String user() {
    require();
    return user;
  }

  public static String password() {
    require();
    return password;
  }

  private static String envOr(String name, String fallback) {
    String value = System.getenv(name);
    return value == null ? fallback : value;
  }
}
