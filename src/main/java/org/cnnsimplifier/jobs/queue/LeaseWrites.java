package org.cnnsimplifier.jobs.queue;

import static org.cnnsimplifier.jobs.queue.JobRows.FENCE;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The writes of a worker that holds a lease, each fenced by the lease token and each in its own
 * short transaction. Every method answers false when the job is no longer the worker's.
 */
final class LeaseWrites {
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final QueueDialect dialect;
  private final Clock clock;
  private final QueueProperties properties;

  LeaseWrites(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      QueueDialect dialect,
      Clock clock,
      QueueProperties properties) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.dialect = dialect;
    this.clock = clock;
    this.properties = properties;
  }

  HeartbeatResult heartbeat(Lease lease, Duration extension) {
    requirePositive(extension);
    return transactions.execute(
        status -> {
          int renewed =
              jdbc.sql(
                      "UPDATE job SET lease_expires_at = "
                          + dialect.nowPlusMillis("leaseMs")
                          + ", heartbeat_at = CURRENT_TIMESTAMP WHERE "
                          + FENCE)
                  .param("leaseMs", extension.toMillis())
                  .param("id", lease.jobId())
                  .param("token", lease.token())
                  .update();
          if (renewed == 0) {
            return HeartbeatResult.LOST;
          }
          boolean cancel =
              jdbc.sql("SELECT cancel_requested_at IS NOT NULL FROM job WHERE id = :id")
                  .param("id", lease.jobId())
                  .query(Boolean.class)
                  .single();
          return new HeartbeatResult(true, cancel);
        });
  }

  boolean recordProgress(Lease lease, String progressJson) {
    return fencedUpdate(lease, "progress = :progress", "progress", progressJson);
  }

  boolean saveCheckpoint(Lease lease, int layersDone, String blobKey) {
    return fencedUpdate(
        lease,
        "checkpoint_layers = :layers, checkpoint_blob = :blob",
        "layers",
        layersDone,
        "blob",
        blobKey);
  }

  boolean appendEvent(Lease lease, String type, String payloadJson) {
    // The fenced update locks the job's row first: every transaction that adds an event of a job
    // holds that lock, so a job's event ids are given in commit order and a reader that has seen
    // id n has seen every earlier event of the job. A stale worker's event never gets in.
    return transactions.execute(
        status -> {
          Instant now = clock.instant();
          int held =
              jdbc.sql("UPDATE job SET updated_at = :now WHERE " + FENCE)
                  .param("now", JobRows.timestamp(now))
                  .param("id", lease.jobId())
                  .param("token", lease.token())
                  .update();
          if (held != 1) {
            return false;
          }
          JobRows.insertEvent(jdbc, lease.jobId(), type, payloadJson, now);
          return true;
        });
  }

  boolean succeed(Lease lease, String resultBlob, String reportJson) {
    return leave(
        lease,
        held ->
            new Move(
                JobState.SUCCEEDED,
                "result_blob = :result, report = :report",
                JobEvent.SUCCEEDED,
                Json.object("attempt", lease.attempt()),
                "result",
                resultBlob,
                "report",
                reportJson));
  }

  boolean failPermanently(Lease lease, String error) {
    return leave(
        lease,
        held ->
            new Move(
                JobState.FAILED,
                "last_error = :error",
                JobEvent.FAILED,
                Json.object("attempt", lease.attempt(), "error", error),
                "error",
                error));
  }

  boolean fail(Lease lease, String error) {
    return leave(
        lease,
        held -> {
          if (held.cancelRequested()) {
            // The owner wants it stopped: a failure is no reason to run it again.
            return new Move(
                JobState.CANCELLED,
                "last_error = :error",
                JobEvent.CANCELLED,
                Json.object("attempt", lease.attempt(), "error", error),
                "error",
                error);
          }
          if (held.attempt() < held.maxAttempts()) {
            long delay = properties.backoff(held.attempt()).toMillis();
            return new Move(
                JobState.RETRY_WAIT,
                "last_error = :error, run_at = " + dialect.nowPlusMillis("delayMs"),
                JobEvent.RETRYING,
                Json.object("attempt", lease.attempt(), "error", error, "delayMs", delay),
                "error",
                error,
                "delayMs",
                delay);
          }
          return new Move(
              JobState.FAILED,
              "last_error = :error",
              JobEvent.FAILED,
              Json.object("attempt", lease.attempt(), "error", error),
              "error",
              error);
        });
  }

  boolean cancelled(Lease lease) {
    return leave(
        lease,
        held ->
            new Move(
                JobState.CANCELLED,
                null,
                JobEvent.CANCELLED,
                Json.object("attempt", lease.attempt())));
  }

  boolean handBack(Lease lease) {
    return leave(
        lease,
        held ->
            held.cancelRequested()
                ? cancelledInstead(lease)
                // Shutting down is not the job's fault: the attempt is given back.
                : new Move(
                    JobState.QUEUED,
                    "attempt = attempt - 1",
                    JobEvent.HANDED_BACK,
                    Json.object("worker", lease.workerId())));
  }

  boolean awaitSelection(Lease lease) {
    return leave(
        lease,
        held ->
            held.cancelRequested()
                ? cancelledInstead(lease)
                // A pause for a person is not a failed attempt either.
                : new Move(
                    JobState.AWAITING_SELECTION,
                    "attempt = attempt - 1",
                    JobEvent.AWAITING_SELECTION,
                    Json.object("attempt", lease.attempt())));
  }

  private static Move cancelledInstead(Lease lease) {
    return new Move(
        JobState.CANCELLED, null, JobEvent.CANCELLED, Json.object("attempt", lease.attempt()));
  }

  /** The job as its holder sees it before leaving RUNNING. */
  record Held(int attempt, int maxAttempts, boolean cancelRequested) {}

  /** A move out of RUNNING: the target, extra assignments, the event, named parameters. */
  record Move(JobState target, String set, String eventType, String payload, Object... params) {}

  /**
   * Locks the fenced row, lets {@code decide} choose where it goes, moves it there, clears the
   * lease and appends the event, all in one transaction.
   */
  private boolean leave(Lease lease, Function<Held, Move> decide) {
    return transactions.execute(
        status -> {
          Optional<Held> held =
              jdbc.sql(
                      "SELECT attempt, max_attempts, cancel_requested_at FROM job WHERE "
                          + FENCE
                          + " FOR UPDATE")
                  .param("id", lease.jobId())
                  .param("token", lease.token())
                  .query(
                      (rs, row) ->
                          new Held(
                              rs.getInt("attempt"),
                              rs.getInt("max_attempts"),
                              rs.getObject("cancel_requested_at") != null))
                  .optional();
          if (held.isEmpty()) {
            return false;
          }
          Move move = decide.apply(held.get());
          if (!JobState.RUNNING.canMoveTo(move.target())) {
            throw new IllegalStateException("RUNNING cannot move to " + move.target());
          }
          Instant now = clock.instant();
          var statement =
              jdbc.sql(
                      "UPDATE job SET state = :target, lease_token = NULL,"
                          + " lease_expires_at = NULL, updated_at = :now"
                          + (move.target().isTerminal() ? ", finished_at = :now" : "")
                          + (move.set() == null ? "" : ", " + move.set())
                          + " WHERE "
                          + FENCE)
                  .param("target", move.target().name())
                  .param("now", JobRows.timestamp(now))
                  .param("id", lease.jobId())
                  .param("token", lease.token());
          if (bind(statement, move.params()).update() != 1) {
            return false;
          }
          JobRows.insertEvent(jdbc, lease.jobId(), move.eventType(), move.payload(), now);
          return true;
        });
  }

  /** Sets columns of the worker's row, if it still holds it; {@code params} name and value. */
  private boolean fencedUpdate(Lease lease, String set, Object... params) {
    return transactions.execute(
        status -> {
          var statement =
              jdbc.sql("UPDATE job SET " + set + ", updated_at = :now WHERE " + FENCE)
                  .param("now", JobRows.timestamp(clock.instant()))
                  .param("id", lease.jobId())
                  .param("token", lease.token());
          return bind(statement, params).update() == 1;
        });
  }

  private static JdbcClient.StatementSpec bind(
      JdbcClient.StatementSpec statement, Object[] params) {
    for (int i = 0; i < params.length; i += 2) {
      statement = statement.param((String) params[i], params[i + 1]);
    }
    return statement;
  }

  static void requirePositive(Duration lease) {
    if (lease == null || lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("a lease must be positive, got " + lease);
    }
  }
}
