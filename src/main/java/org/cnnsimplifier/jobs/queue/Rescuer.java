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
 *
 * <p>A rescue is not a failed attempt: the attempt is given back and the rescue counted apart, so
 * workers killed under a job (a rollout, a preempted node, the OOM killer) do not fail it; only a
 * job rescued more than {@code cnn.workers.max-rescues} times fails. A rescued job goes to the back
 * of its owner's jobs of the same priority, so a job that kills its workers does not keep taking
 * the next worker first.
 */
final class Rescuer {
  private static final Logger log = LoggerFactory.getLogger(Rescuer.class);
  private static final int BATCH = 100;

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Clock clock;
  private final QueueProperties properties;

  Rescuer(
      JdbcClient jdbc, TransactionTemplate transactions, Clock clock, QueueProperties properties) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
    this.properties = properties;
  }

  private record Expired(
      UUID id, UUID token, int attempt, int rescues, boolean cancelRequested, String worker) {}

  int rescueExpired() {
    int rescued = 0;
    List<Expired> batch;
    do {
      batch =
          jdbc.sql(
                  "SELECT id, lease_token, attempt, rescues, cancel_requested_at, worker_id"
                      + " FROM job WHERE state = 'RUNNING' AND lease_expires_at < CURRENT_TIMESTAMP"
                      + " ORDER BY lease_expires_at LIMIT "
                      + BATCH)
              .query(
                  (rs, row) ->
                      new Expired(
                          rs.getObject("id", UUID.class),
                          rs.getObject("lease_token", UUID.class),
                          rs.getInt("attempt"),
                          rs.getInt("rescues"),
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
    } else if (job.rescues() >= properties.maxRescues()) {
      target = JobState.FAILED;
      event = JobEvent.FAILED;
      error =
          "the workers running this job stopped renewing its lease "
              + (job.rescues() + 1)
              + " times (last: worker "
              + job.worker()
              + "), more than cnn.workers.max-rescues ("
              + properties.maxRescues()
              + ") allows: the job may take more memory or time than a worker has";
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
                    + " updated_at = :now, rescues = rescues + 1"
                    + (target.isTerminal()
                        ? ", finished_at = :now"
                        // The attempt was not the job's fault; back of the line it goes.
                        : ", attempt = attempt - 1, run_at = CURRENT_TIMESTAMP")
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
            "rescues",
            job.rescues() + 1,
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
