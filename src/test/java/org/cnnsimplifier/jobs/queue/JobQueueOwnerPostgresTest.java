package org.cnnsimplifier.jobs.queue;

import com.zaxxer.hikari.HikariDataSource;

/** The owner-side queue contract on PostgreSQL. */
class JobQueueOwnerPostgresTest extends OwnerContract {
  @Override
  HikariDataSource openDataSource() {
    return postgres();
  }
}
