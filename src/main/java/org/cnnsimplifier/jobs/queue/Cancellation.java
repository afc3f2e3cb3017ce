package org.cnnsimplifier.jobs.queue;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** An owner's request to cancel a job, in one transaction holding the job's row. */
final class Cancellation {
  /** Cancelled at once: every state the table lets go to CANCELLED, except a running one. */
  private static final Set<JobState> IMMEDIATE = immediate();

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Clock clock;

  Cancellation(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
  }

  private record Current(JobState state, boolean alreadyRequested) {}

  CancelResult request(UUID id, String owner) {
    return transactions.execute(
        status -> {
          // The row lock keeps a claim (which skips locked rows) or a worker from moving the job
          // between this read and the write below.
          Optional<Current> current =
              jdbc.sql(
                      "SELECT state, cancel_requested_at FROM job"
                          + " WHERE id = :id AND owner = :owner FOR UPDATE")
                  .param("id", id)
                  .param("owner", owner)
                  .query(
                      (rs, row) ->
                          new Current(
                              JobState.valueOf(rs.getString("state")),
                              rs.getObject("cancel_requested_at") != null))
                  .optional();
          if (current.isEmpty()) {
            return CancelResult.NOT_FOUND_RESULT;
          }
          JobState state = current.get().state();
          Instant now = clock.instant();
          if (state.isTerminal()) {
            return new CancelResult(CancelResult.Outcome.ALREADY_FINISHED, state);
          }
          if (state == JobState.RUNNING) {
            if (!current.get().alreadyRequested()) {
              write(
                  "UPDATE job SET cancel_requested_at = :now, updated_at = :now"
                      + " WHERE id = :id AND state = 'RUNNING'",
                  id,
                  now);
              JobRows.insertEvent(jdbc, id, JobEvent.CANCEL_REQUESTED, "{}", now);
            }
            return new CancelResult(CancelResult.Outcome.CANCEL_REQUESTED, state);
          }
          if (!IMMEDIATE.contains(state)) {
            throw new IllegalStateException("no way to cancel a job in state " + state);
          }
          write(
              "UPDATE job SET state = 'CANCELLED', cancel_requested_at = :now,"
                  + " finished_at = :now, updated_at = :now WHERE id = :id",
              id,
              now);
          JobRows.insertEvent(jdbc, id, JobEvent.CANCELLED, "{}", now);
          return new CancelResult(CancelResult.Outcome.CANCELLED, JobState.CANCELLED);
        });
  }

  private void write(String sql, UUID id, Instant now) {
    jdbc.sql(sql).param("id", id).param("now", JobRows.timestamp(now)).update();
  }

  private static Set<JobState> immediate() {
    Set<JobState> states = JobState.sourcesOf(JobState.CANCELLED);
    states.remove(JobState.RUNNING);
    return Set.copyOf(states);
  }
}
