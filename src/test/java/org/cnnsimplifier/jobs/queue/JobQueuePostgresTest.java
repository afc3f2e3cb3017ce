package org.cnnsimplifier.jobs.queue;

import com.zaxxer.hikari.HikariDataSource;

/** The worker-side queue contract on PostgreSQL ({@code FOR UPDATE SKIP LOCKED}). */
class JobQueuePostgresTest extends WorkerContract {
  @Override
  HikariDataSource openDataSource() {
    return postgres();
  }
}
