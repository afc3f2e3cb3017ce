package org.cnnsimplifier.jobs.queue;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Lease renewals on connections of their own (a pool of two beside the application's), so a busy
 * main pool never delays a heartbeat past the lease. Same statement and fence as {@link
 * JobQueue#heartbeat}.
 */
@Component
public class Heartbeats implements DisposableBean {
  private final HikariDataSource pool;
  private final LeaseWrites writes;

  Heartbeats(DataSource dataSource, Clock clock, QueueProperties properties) {
    this.pool =
        SideConnections.of(dataSource)
            .map(main -> SideConnections.pool(main, "cnn-heartbeats", 2))
            .orElse(null);
    DataSource source = pool != null ? pool : dataSource;
    this.writes =
        new LeaseWrites(
            JdbcClient.create(source),
            new TransactionTemplate(new DataSourceTransactionManager(source)),
            QueueDialect.of(source),
            clock,
            properties);
  }

  /** Renews the lease for {@code extension} from now; also tells whether cancellation was asked. */
  public HeartbeatResult beat(Lease lease, Duration extension) {
    return writes.heartbeat(lease, extension);
  }

  @Override
  public void destroy() {
    if (pool != null) {
      pool.close();
    }
  }
}
