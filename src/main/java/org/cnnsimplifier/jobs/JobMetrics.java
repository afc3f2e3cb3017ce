package org.cnnsimplifier.jobs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.cnnsimplifier.jobs.queue.JobState;
import org.springframework.stereotype.Component;

/**
 * Jobs by state, as gauges {@code cnn.jobs{state=…}}. Counted in the database (all nodes' jobs) at
 * most every ten seconds, however often Prometheus scrapes.
 */
@Component
class JobMetrics {
  private static final Duration FRESH = Duration.ofSeconds(10);

  private final JobQueue queue;
  private final Clock clock;
  private Map<JobState, Long> counts = new EnumMap<>(JobState.class);
  private Instant countedAt = Instant.EPOCH;

  JobMetrics(JobQueue queue, Clock clock, MeterRegistry registry) {
    this.queue = queue;
    this.clock = clock;
    for (JobState state : JobState.values()) {
      Gauge.builder("cnn.jobs", () -> count(state))
          .description("Jobs in each state")
          .tag("state", state.name())
          .register(registry);
    }
  }

  private synchronized double count(JobState state) {
    Instant now = clock.instant();
    if (now.isAfter(countedAt.plus(FRESH))) {
      try {
        counts = new EnumMap<>(queue.countByState());
        countedAt = now;
      } catch (RuntimeException e) {
        return Double.NaN;
      }
    }
    return counts.getOrDefault(state, 0L);
  }
}
