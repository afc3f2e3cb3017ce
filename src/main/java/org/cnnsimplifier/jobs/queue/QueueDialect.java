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
 * What differs between the databases the queue runs on: how a worker claims a job, and interval
 * arithmetic on the database clock. {@code CURRENT_TIMESTAMP} is the database clock in both.
 */
interface QueueDialect {
  /** The states a claim takes a job from, per the transition table. */
  String CLAIMABLE = JobRows.inList(JobState.sourcesOf(JobState.RUNNING));

  /** The assignments of a claim, shared by both dialects. */
  String CLAIM_SET =
      "state = 'RUNNING', lease_token = :token, lease_expires_at = %s, worker_id = :worker,"
          + " heartbeat_at = CURRENT_TIMESTAMP, attempt = attempt + 1,"
          + " started_at = COALESCE(started_at, :now), updated_at = :now";

  /**
   * Claims the job that should run next, inside the caller's transaction.
   *
   * @return the claimed row, or empty when nothing is due
   */
  Optional<Job> claim(JdbcClient jdbc, UUID token, String workerId, Duration lease, Instant now);

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
