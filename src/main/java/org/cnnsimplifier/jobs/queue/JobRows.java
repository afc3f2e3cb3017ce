package org.cnnsimplifier.jobs.queue;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reading rows of {@code job} and {@code job_event}, and the SQL pieces every writer shares. */
final class JobRows {
  /** The condition of every write a worker makes: its lease is still the job's. */
  static final String FENCE = "id = :id AND lease_token = :token AND state = 'RUNNING'";

  private JobRows() {}

  static Job job(ResultSet rs, int row) throws SQLException {
    return new Job(
        rs.getObject("id", UUID.class),
        rs.getString("owner"),
        JobState.valueOf(rs.getString("state")),
        rs.getInt("priority"),
        rs.getInt("attempt"),
        rs.getInt("max_attempts"),
        instant(rs, "run_at"),
        rs.getObject("model_id", UUID.class),
        rs.getObject("dataset_id", UUID.class),
        rs.getString("spec"),
        rs.getObject("lease_token", UUID.class),
        instant(rs, "lease_expires_at"),
        rs.getString("worker_id"),
        instant(rs, "heartbeat_at"),
        instant(rs, "cancel_requested_at"),
        rs.getObject("checkpoint_layers", Integer.class),
        rs.getString("checkpoint_blob"),
        rs.getString("progress"),
        rs.getString("result_blob"),
        rs.getString("report"),
        rs.getString("last_error"),
        rs.getString("idempotency_key"),
        rs.getString("request_hash"),
        instant(rs, "created_at"),
        instant(rs, "updated_at"),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        rs.getInt("rescues"),
        instant(rs, "expired_at"));
  }

  static JobEvent event(ResultSet rs, int row) throws SQLException {
    return new JobEvent(
        rs.getLong("id"),
        rs.getObject("job_id", UUID.class),
        rs.getString("type"),
        rs.getString("payload"),
        instant(rs, "created_at"));
  }

  /** Appends an event; call inside the transaction that made the change it reports. */
  static void insertEvent(
      JdbcClient jdbc, UUID jobId, String type, String payload, Instant createdAt) {
    jdbc.sql(
            "INSERT INTO job_event (job_id, type, payload, created_at) "
                + "VALUES (:job, :type, :payload, :at)")
        .param("job", jobId)
        .param("type", type)
        .param("payload", payload)
        .param("at", timestamp(createdAt))
        .update();
  }

  /** A timestamp parameter both drivers take for {@code TIMESTAMP WITH TIME ZONE}. */
  static OffsetDateTime timestamp(Instant instant) {
    return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  /** {@code ('A','B')}: an SQL list of states, from the enum only (never from input). */
  static String inList(Set<JobState> states) {
    return states.stream()
        .map(state -> "'" + state.name() + "'")
        .sorted()
        .collect(Collectors.joining(",", "(", ")"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
