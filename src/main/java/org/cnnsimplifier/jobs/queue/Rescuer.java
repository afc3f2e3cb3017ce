package org.cnnsimplifier.jobs.queue;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Takes jobs from workers whose lease lapsed (crashed, hung, cut off). Each job moves in its own
 * compare-and-set on its old lease token, so reapers on several nodes never rescue one job twice,
 * and a heartbeat that arrives first keeps the job with its worker.
 */
final class Rescuer {
  private static final Logger log = LoggerFactory.getLogger(Rescuer.class);
  private static final int BATCH = 100;

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Clock clock;

  Rescuer(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
  }

  private record Expired(
      UUID id, UUID token, int attempt, int maxAttempts, boolean cancelRequested, String worker) {}

  int rescueExpired() {
    int rescued = 0;
    List<Expired> batch;
    do {
      batch =
          jdbc.sql(
                  "SELECT id, lease_token, attempt, max_attempts, cancel_requested_at, worker_id"
                      + " FROM job WHERE state = 'RUNNING' AND lease_expires_at < CURRENT_TIMESTAMP"
                      + " ORDER BY lease_expires_at LIMIT "
                      + BATCH)
              .query(
                  (rs, row) ->
                      new Expired(
                          rs.getObject("id", UUID.class),
                          rs.getObject("lease_token", UUID.class),
                          rs.getInt("attempt"),
                          rs.getInt("max_attempts"),
                          rs.getObject("cancel_requested_at") != null,
                          rs.getString("worker_id")))
              .list();
      for (Expired job : batch) {
        if (Boolean.TRUE.equals(transactions.execute(status -> rescue(job)))) {
          rescued++;
        }
      }
      // A full batch may mean more are waiting; a job another node took is simply not seen again.
    } while (batch.size() == BATCH);
    return rescued;
  }

  private boolean rescue(Expired job) {
    JobState target;
    String event;
    String error = null;
    if (job.cancelRequested()) {
      target = JobState.CANCELLED;
      event = JobEvent.CANCELLED;
    } else if (job.attempt() >= job.maxAttempts()) {
      target = JobState.FAILED;
      event = JobEvent.FAILED;
      error =
          "worker "
              + job.worker()
              + " stopped renewing its lease on attempt "
              + job.attempt()
              + " of "
              + job.maxAttempts();
    } else {
      target = JobState.QUEUED;
      event = JobEvent.RESCUED;
    }
    if (!JobState.RUNNING.canMoveTo(target)) {
      throw new IllegalStateException("RUNNING cannot move to " + target);
    }
    Instant now = clock.instant();
    int moved =
        jdbc.sql(
                "UPDATE job SET state = :target, lease_token = NULL, lease_expires_at = NULL,"
                    + " updated_at = :now"
                    + (target.isTerminal() ? ", finished_at = :now" : "")
                    + (error != null ? ", last_error = :error" : "")
                    + " WHERE id = :id AND lease_token = :token AND state = 'RUNNING'"
                    + " AND lease_expires_at < CURRENT_TIMESTAMP")
            .param("target", target.name())
            .param("now", JobRows.timestamp(now))
            .param("error", error)
            .param("id", job.id())
            .param("token", job.token())
            .update();
    if (moved == 0) {
      return false;
    }
    JobRows.insertEvent(
        jdbc,
        job.id(),
        event,
        Json.object(
            "attempt",
            job.attempt(),
            "worker",
            job.worker(),
            "reason",
            "lease expired",
            "error",
            error),
        now);
    log.warn(
        "job={} rescued from worker {} after its lease lapsed on attempt {}: now {}",
        job.id(),
        job.worker(),
        job.attempt(),
        target);
    return true;
  }
}
