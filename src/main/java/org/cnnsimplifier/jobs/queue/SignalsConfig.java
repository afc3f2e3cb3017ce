package org.cnnsimplifier.jobs.queue;

import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Picks how this node learns of new job events. */
@Configuration(proxyBeanMethods = false)
class SignalsConfig {

  /** LISTEN/NOTIFY on PostgreSQL (when the pool's settings can be had), polling otherwise. */
  @Bean(destroyMethod = "close")
  JobSignals jobSignals(DataSource dataSource, JobQueue queue, Clock clock) {
    var main = SideConnections.of(dataSource);
    if (QueueDialect.of(dataSource) instanceof PostgresDialect && main.isPresent()) {
      return new PostgresSignals(() -> SideConnections.open(main.get()));
    }
    return new PollingSignals(queue, clock);
  }
}
