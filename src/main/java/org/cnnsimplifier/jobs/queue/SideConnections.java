package org.cnnsimplifier.jobs.queue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Connections to the application's database that do not come from its pool: a small pool for
 * heartbeats, and the connection that LISTENs. Uploads, downloads and requests can use up the main
 * pool; a heartbeat waiting for it would let a healthy job's lease lapse and the job run twice.
 */
final class SideConnections {
  private SideConnections() {}

  /** The settings of the application's pool, when it is a Hikari pool (as Spring Boot makes). */
  static Optional<HikariConfig> of(DataSource dataSource) {
    try {
      if (dataSource.isWrapperFor(HikariDataSource.class)) {
        return Optional.of(dataSource.unwrap(HikariDataSource.class));
      }
    } catch (java.sql.SQLException e) {
      // Not a Hikari pool after all.
    }
    return Optional.empty();
  }

  /** A pool of {@code size} connections with the same database, user and settings. */
  static HikariDataSource pool(HikariConfig main, String name, int size) {
    HikariConfig config = new HikariConfig();
    main.copyStateTo(config);
    config.setPoolName(name);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(5_000);
    return new HikariDataSource(config);
  }

  /** A connection of its own, outside any pool. */
  static Connection open(HikariConfig main) throws java.sql.SQLException {
    Connection connection =
        DriverManager.getConnection(main.getJdbcUrl(), main.getUsername(), main.getPassword());
    if (main.getSchema() != null) {
      connection.setSchema(main.getSchema());
    }
    return connection;
  }
}
