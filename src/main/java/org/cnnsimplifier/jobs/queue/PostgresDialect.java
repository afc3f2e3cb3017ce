package org.cnnsimplifier.jobs.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * PostgreSQL: the claim is one statement. {@code FOR UPDATE SKIP LOCKED} lets concurrent workers on
 * any number of nodes each take a different row without waiting for one another; the subquery runs
 * on the partial index of claimable jobs ({@code job_claimable}).
 */
final class PostgresDialect implements QueueDialect {
  /** The first key of the claim's advisory locks, so they cannot collide with anyone else's. */
  private static final int LOCK_SPACE = 0x434e4e51;

  private static final String CLAIM =
      "UPDATE job SET "
          + CLAIM_SET.formatted("CURRENT_TIMESTAMP + :leaseMs * INTERVAL '1 millisecond'")
          + " WHERE id = ("
          + NEXT_OF_OWNER
          + " FOR UPDATE SKIP LOCKED) RETURNING *";

  @Override
  public Optional<Job> claimNextOf(
      JdbcClient jdbc, String owner, UUID token, String workerId, Duration lease, Instant now) {
    return jdbc.sql(CLAIM)
        .param("owner", owner)
        .param("token", token)
        .param("worker", workerId)
        .param("leaseMs", lease.toMillis())
        .param("now", JobRows.timestamp(now))
        .query(JobRows::job)
        .optional();
  }

  @Override
  public boolean lockOwner(JdbcClient jdbc, String owner) {
    return jdbc.sql("SELECT pg_try_advisory_xact_lock(:space, :key)")
        .param("space", LOCK_SPACE)
        .param("key", owner.hashCode())
        .query(Boolean.class)
        .single();
  }

  @Override
  public String nowPlusMillis(String name) {
    return "CURRENT_TIMESTAMP + :" + name + " * INTERVAL '1 millisecond'";
  }
}
