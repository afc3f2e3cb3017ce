package org.cnnsimplifier.jobs.queue;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The queue's reads; each a single statement, owner-scoped except the node-wide ones. */
final class JobReads {
  private final JdbcClient jdbc;

  JobReads(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  Optional<Job> find(String owner, UUID id) {
    return jdbc.sql("SELECT * FROM job WHERE id = :id AND owner = :owner")
        .param("id", id)
        .param("owner", owner)
        .query(JobRows::job)
        .optional();
  }

  Optional<Job> findAny(UUID id) {
    return jdbc.sql("SELECT * FROM job WHERE id = :id")
        .param("id", id)
        .query(JobRows::job)
        .optional();
  }

  JobPage list(String owner, Optional<JobState> state, int page, int size) {
    if (page < 0 || size < 1) {
      throw new IllegalArgumentException("page must be >= 0 and size >= 1");
    }
    String where = " WHERE owner = :owner" + (state.isPresent() ? " AND state = :state" : "");
    long total =
        bindState(jdbc.sql("SELECT COUNT(*) FROM job" + where).param("owner", owner), state)
            .query(Long.class)
            .single();
    List<Job> items =
        bindState(
                jdbc.sql(
                        "SELECT * FROM job"
                            + where
                            + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
                    .param("owner", owner)
                    .param("limit", size)
                    .param("offset", (long) page * size),
                state)
            .query(JobRows::job)
            .list();
    return new JobPage(items, page, size, total);
  }

  List<JobEvent> events(String owner, UUID jobId, long afterId, int limit) {
    return jdbc.sql(
            "SELECT e.* FROM job_event e JOIN job j ON j.id = e.job_id"
                + " WHERE e.job_id = :job AND j.owner = :owner AND e.id > :after"
                + " ORDER BY e.id LIMIT :limit")
        .param("job", jobId)
        .param("owner", owner)
        .param("after", afterId)
        .param("limit", requireLimit(limit))
        .query(JobRows::event)
        .list();
  }

  long latestEventId() {
    return jdbc.sql("SELECT COALESCE(MAX(id), 0) FROM job_event").query(Long.class).single();
  }

  List<JobEvent> eventsAfter(long afterId, int limit) {
    return jdbc.sql("SELECT * FROM job_event WHERE id > :after ORDER BY id LIMIT :limit")
        .param("after", afterId)
        .param("limit", requireLimit(limit))
        .query(JobRows::event)
        .list();
  }

  Map<JobState, Long> countByState() {
    Map<JobState, Long> counts = new EnumMap<>(JobState.class);
    for (JobState state : JobState.values()) {
      counts.put(state, 0L);
    }
    jdbc.sql("SELECT state, COUNT(*) AS n FROM job GROUP BY state")
        .query((rs, row) -> counts.put(JobState.valueOf(rs.getString("state")), rs.getLong("n")))
        .list();
    return counts;
  }

  private static JdbcClient.StatementSpec bindState(
      JdbcClient.StatementSpec statement, Optional<JobState> state) {
    return state.map(s -> statement.param("state", s.name())).orElse(statement);
  }

  private static int requireLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    return limit;
  }
}
