package org.cnnsimplifier.jobs.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * H2, the embedded single-node default, which has no {@code UPDATE … RETURNING}: pick the next
 * candidate, then take it with an update that only succeeds while it is still claimable (compare
 * and set). A worker that loses the race to another thread picks again.
 */
final class CompareAndSetDialect implements QueueDialect {
  /** Candidates to try before giving up until the next poll. */
  static final int TRIES = 16;

  private static final String DUE = " state IN " + CLAIMABLE + " AND run_at <= CURRENT_TIMESTAMP";
  private static final String NEXT =
      "SELECT id FROM job WHERE" + DUE + " ORDER BY priority DESC, run_at, id LIMIT 1";
  private static final String TAKE =
      "UPDATE job SET "
          + CLAIM_SET.formatted("DATEADD(MILLISECOND, :leaseMs, CURRENT_TIMESTAMP)")
          + " WHERE id = :id AND"
          + DUE;

  @Override
  public Optional<Job> claim(
      JdbcClient jdbc, UUID token, String workerId, Duration lease, Instant now) {
    for (int i = 0; i < TRIES; i++) {
      Optional<UUID> candidate = jdbc.sql(NEXT).query(UUID.class).optional();
      if (candidate.isEmpty()) {
        return Optional.empty();
      }
      int taken =
          jdbc.sql(TAKE)
              .param("id", candidate.get())
              .param("token", token)
              .param("worker", workerId)
              .param("leaseMs", lease.toMillis())
              .param("now", JobRows.timestamp(now))
              .update();
      if (taken == 1) {
        return jdbc.sql("SELECT * FROM job WHERE id = :id AND lease_token = :token")
            .param("id", candidate.get())
            .param("token", token)
            .query(JobRows::job)
            .optional();
      }
    }
    return Optional.empty();
  }

  @Override
  public String nowPlusMillis(String name) {
    return "DATEADD(MILLISECOND, :" + name + ", CURRENT_TIMESTAMP)";
  }
}
