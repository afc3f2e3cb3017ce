package org.cnnsimplifier.jobs.queue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * H2, the embedded single-node default, which has no {@code UPDATE … RETURNING}: pick the owner's
 * next candidate, then take it with an update that only succeeds while it is still claimable
 * (compare and set). A worker that loses the race to another thread picks again. H2 runs in this
 * process only, so claims of one owner are kept apart by a lock in this process.
 */
final class CompareAndSetDialect implements QueueDialect {
  /** Candidates to try before giving up on an owner until the next poll. */
  static final int TRIES = 16;

  private static final String DUE = " state IN " + CLAIMABLE + " AND run_at <= CURRENT_TIMESTAMP";
  private static final String TAKE =
      "UPDATE job SET "
          + CLAIM_SET.formatted("DATEADD(MILLISECOND, :leaseMs, CURRENT_TIMESTAMP)")
          + " WHERE id = :id AND"
          + DUE;

  private final ConcurrentHashMap<String, ReentrantLock> owners = new ConcurrentHashMap<>();

  @Override
  public Optional<Job> claimNextOf(
      JdbcClient jdbc, String owner, UUID token, String workerId, Duration lease, Instant now) {
    for (int i = 0; i < TRIES; i++) {
      Optional<UUID> candidate =
          jdbc.sql(NEXT_OF_OWNER).param("owner", owner).query(UUID.class).optional();
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

  /** Held until the transaction completes (commit or rollback), like an advisory lock. */
  @Override
  public boolean lockOwner(JdbcClient jdbc, String owner) {
    ReentrantLock lock = owners.computeIfAbsent(owner, o -> new ReentrantLock());
    if (!lock.tryLock()) {
      return false;
    }
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCompletion(int status) {
            lock.unlock();
          }
        });
    return true;
  }

  @Override
  public String nowPlusMillis(String name) {
    return "DATEADD(MILLISECOND, :" + name + ", CURRENT_TIMESTAMP)";
  }
}
