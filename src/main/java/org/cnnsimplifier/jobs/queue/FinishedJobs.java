package org.cnnsimplifier.jobs.queue;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Jobs that have ended: deleting them, and retiring what they keep (result, checkpoint, events)
 * once they are older than the retention period. Only rows change here; the caller deletes the
 * blobs the rows named, after the rows are gone, so no row ever names a deleted blob.
 */
@Component
public class FinishedJobs {
  private static final String ENDED = JobRows.inList(terminalStates());

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Clock clock;

  FinishedJobs(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
  }

  /**
   * Deletes the owner's job and its events if it has ended.
   *
   * @return false when there is no such ended job of the owner (it may exist and still be going)
   */
  public boolean delete(String owner, UUID id) {
    return transactions.execute(
            status ->
                jdbc.sql("DELETE FROM job WHERE id = :id AND owner = :owner AND state IN " + ENDED)
                    .param("id", id)
                    .param("owner", owner)
                    .update())
        == 1;
  }

  /** Ended jobs that finished before {@code cutoff} and still keep their result or events. */
  public List<Job> finishedBefore(Instant cutoff, int limit) {
    return jdbc.sql(
            "SELECT * FROM job WHERE state IN "
                + ENDED
                + " AND expired_at IS NULL AND finished_at < :cutoff ORDER BY finished_at LIMIT "
                + limit)
        .param("cutoff", JobRows.timestamp(cutoff))
        .query(JobRows::job)
        .list();
  }

  /**
   * Retires an ended job: its result and checkpoint are no longer named, its events deleted; the
   * row (spec, report, times) stays. False when it is not an ended, unretired job.
   */
  public boolean expire(UUID id) {
    Instant now = clock.instant();
    return Boolean.TRUE.equals(
        transactions.execute(
            status -> {
              int retired =
                  jdbc.sql(
                          "UPDATE job SET result_blob = NULL, checkpoint_blob = NULL,"
                              + " checkpoint_layers = NULL, expired_at = :now, updated_at = :now"
                              + " WHERE id = :id AND expired_at IS NULL AND state IN "
                              + ENDED)
                      .param("now", JobRows.timestamp(now))
                      .param("id", id)
                      .update();
              if (retired == 1) {
                jdbc.sql("DELETE FROM job_event WHERE job_id = :id").param("id", id).update();
              }
              return retired == 1;
            }));
  }

  /** Ended jobs that still name a checkpoint (their working files), oldest first. */
  public List<Job> endedWithCheckpoint(int limit) {
    return jdbc.sql(
            "SELECT * FROM job WHERE state IN "
                + ENDED
                + " AND checkpoint_blob IS NOT NULL ORDER BY finished_at LIMIT "
                + limit)
        .query(JobRows::job)
        .list();
  }

  /** Forgets the checkpoint of an ended job; false when the job is not ended. */
  public boolean clearCheckpoint(UUID id) {
    return transactions.execute(
            status ->
                jdbc.sql(
                        "UPDATE job SET checkpoint_blob = NULL, checkpoint_layers = NULL"
                            + " WHERE id = :id AND state IN "
                            + ENDED)
                    .param("id", id)
                    .update())
        == 1;
  }

  private static java.util.Set<JobState> terminalStates() {
    java.util.Set<JobState> ended = java.util.EnumSet.noneOf(JobState.class);
    for (JobState state : JobState.values()) {
      if (state.isTerminal()) {
        ended.add(state);
      }
    }
    return ended;
  }
}
