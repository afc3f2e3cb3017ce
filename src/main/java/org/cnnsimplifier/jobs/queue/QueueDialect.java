package org.cnnsimplifier.jobs.queue;

import java.sql.DatabaseMetaData;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;

/**
 * What differs between the databases the queue runs on: how a worker takes an owner's next job, how
 * claims of one owner are kept apart (for the per-owner cap), and interval arithmetic on the
 * database clock. {@code CURRENT_TIMESTAMP} is the database clock in both.
 */
interface QueueDialect {
  /** The states a claim takes a job from, per the transition table. */
  String CLAIMABLE = JobRows.inList(JobState.sourcesOf(JobState.RUNNING));

  /** The owner's due jobs, in the order they run: priority (within the owner only), then age. */
  String NEXT_OF_OWNER =
      "SELECT id FROM job WHERE owner = :owner AND state IN "
          + CLAIMABLE
          + " AND run_at <= CURRENT_TIMESTAMP ORDER BY priority DESC, run_at, id LIMIT 1";

  /** The assignments of a claim, shared by both dialects. */
  String CLAIM_SET =
      "state = 'RUNNING', lease_token = :token, lease_expires_at = %s, worker_id = :worker,"
          + " heartbeat_at = CURRENT_TIMESTAMP, attempt = attempt + 1,"
          + " started_at = COALESCE(started_at, :now), updated_at = :now";

  /**
   * Claims the owner's next due job, inside the caller's transaction.
   *
   * @return the claimed row, or empty when the owner has none due (or another worker took it)
   */
  Optional<Job> claimNextOf(
      JdbcClient jdbc, String owner, UUID token, String workerId, Duration lease, Instant now);

  /**
   * Keeps other claims of {@code owner} out until the caller's transaction ends, so that counting
   * the owner's running jobs and claiming one more cannot interleave with another worker doing the
   * same; false when another worker is claiming for that owner right now (try the next owner).
   */
  boolean lockOwner(JdbcClient jdbc, String owner);

  /** SQL for the database clock plus the milliseconds in parameter {@code :name}. */
  String nowPlusMillis(String name);

  /** The dialect for the database behind {@code dataSource}. */
  static QueueDialect of(DataSource dataSource) {
    String product;
    try {
      product =
          JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
    } catch (MetaDataAccessException e) {
      throw new IllegalStateException("cannot tell which database the job queue runs on", e);
    }
    return switch (product) {
      case "PostgreSQL" -> new PostgresDialect();
      case "H2" -> new CompareAndSetDialect();
      default ->
          throw new IllegalStateException(
              "the job queue runs on PostgreSQL or H2, not on " + product);
    };
  }
}
