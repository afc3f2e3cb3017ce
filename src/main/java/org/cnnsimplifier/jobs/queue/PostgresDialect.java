package org.cnnsimplifier.jobs.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * PostgreSQL: the claim is one statement. {@code FOR UPDATE SKIP LOCKED} lets concurrent workers on
 * any number of nodes each take a different row without waiting for one another.
 */
final class PostgresDialect implements QueueDialect {
  private static final String CLAIM =
      "UPDATE job SET "
          + CLAIM_SET.formatted("CURRENT_TIMESTAMP + :leaseMs * INTERVAL '1 millisecond'")
          + " WHERE id = (SELECT id FROM job WHERE state IN "
          + CLAIMABLE
          + " AND run_at <= CURRENT_TIMESTAMP ORDER BY priority DESC, run_at, id"
          + " LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING *";

  @Override
  public Optional<Job> claim(
      JdbcClient jdbc, UUID token, String workerId, Duration lease, Instant now) {
    return jdbc.sql(CLAIM)
        .param("token", token)
        .param("worker", workerId)
        .param("leaseMs", lease.toMillis())
        .param("now", JobRows.timestamp(now))
        .query(JobRows::job)
        .optional();
  }

  @Override
  public String nowPlusMillis(String name) {
    return "CURRENT_TIMESTAMP + :" + name + " * INTERVAL '1 millisecond'";
  }
}
