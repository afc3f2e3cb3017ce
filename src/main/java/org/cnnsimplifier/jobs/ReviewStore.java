package org.cnnsimplifier.jobs;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.cnnsimplifier.jobs.queue.Lease;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Which layer a job waits on and where its review material is (table {@code job_review}). Written
 * by the worker holding the job's lease, read by the review API.
 */
@Component
public class ReviewStore {
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final Clock clock;

  ReviewStore(JdbcClient jdbc, TransactionTemplate transactions, Clock clock) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.clock = clock;
  }

  /** A job's pending review. */
  public record Review(UUID jobId, String layer, String blobKey, Instant createdAt) {}

  /** A job waiting for a choice, with what the timeout policy needs. */
  public record Waiting(UUID jobId, String owner, String spec, Review review) {}

  /**
   * Records the review of the leased job, replacing an earlier one; fenced by the lease, so a
   * worker that lost the job writes nothing.
   */
  public Saved save(Lease lease, String layer, String blobKey) {
    return transactions.execute(
        status -> {
          Optional<String> previous =
              jdbc.sql("SELECT blob_key FROM job_review WHERE job_id = ?")
                  .param(lease.jobId())
                  .query(String.class)
                  .optional();
          jdbc.sql("DELETE FROM job_review WHERE job_id = ?").param(lease.jobId()).update();
          int inserted =
              jdbc.sql(
                      "INSERT INTO job_review (job_id, layer, blob_key, created_at)"
                          + " SELECT id, ?, ?, ? FROM job"
                          + " WHERE id = ? AND lease_token = ? AND state = 'RUNNING'")
                  .params(
                      layer, blobKey, Timestamp.from(clock.instant()), lease.jobId(), lease.token())
                  .update();
          if (inserted == 0) {
            status.setRollbackOnly();
            return new Saved(false, Optional.empty());
          }
          return new Saved(true, previous);
        });
  }

  /** Whether the review was stored, and the blob of the review it replaced. */
  public record Saved(boolean saved, Optional<String> replacedBlob) {}

  /** Deletes a job's review row; answers the blob it named, for the caller to delete. */
  public Optional<String> remove(UUID jobId) {
    return transactions.execute(
        status -> {
          Optional<String> blob =
              jdbc.sql("SELECT blob_key FROM job_review WHERE job_id = ?")
                  .param(jobId)
                  .query(String.class)
                  .optional();
          jdbc.sql("DELETE FROM job_review WHERE job_id = ?").param(jobId).update();
          return blob;
        });
  }

  /** Jobs that have ended but still keep review material. */
  public List<UUID> ofEndedJobs(int limit) {
    return jdbc.sql(
            "SELECT r.job_id FROM job_review r JOIN job j ON j.id = r.job_id"
                + " WHERE j.state IN ('SUCCEEDED', 'FAILED', 'CANCELLED') ORDER BY r.created_at"
                + " LIMIT "
                + limit)
        .query(UUID.class)
        .list();
  }

  public Optional<Review> find(UUID jobId) {
    return jdbc.sql("SELECT job_id, layer, blob_key, created_at FROM job_review WHERE job_id = ?")
        .param(jobId)
        .query(
            (rs, row) ->
                new Review(
                    rs.getObject(1, UUID.class),
                    rs.getString(2),
                    rs.getString(3),
                    rs.getTimestamp(4).toInstant()))
        .optional();
  }

  /** Jobs waiting for a choice whose review was stored before {@code before}. */
  public List<Waiting> waitingSince(Instant before) {
    return jdbc.sql(
            "SELECT j.id, j.owner, j.spec, r.layer, r.blob_key, r.created_at"
                + " FROM job j JOIN job_review r ON r.job_id = j.id"
                + " WHERE j.state = 'AWAITING_SELECTION' AND r.created_at < ?")
        .param(Timestamp.from(before))
        .query(
            (rs, row) -> {
              UUID id = rs.getObject(1, UUID.class);
              return new Waiting(
                  id,
                  rs.getString(2),
                  rs.getString(3),
                  new Review(id, rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant()));
            })
        .list();
  }
}
