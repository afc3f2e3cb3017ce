package org.cnnsimplifier.jobs.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Rescues jobs of dead workers every {@code cnn.workers.reaper-interval}. Runs on every node that
 * has it enabled ({@code cnn.workers.reaper-enabled}, default true); the rescue itself is safe when
 * several nodes run it at once.
 */
@Component
@ConditionalOnProperty(
    prefix = "cnn.workers",
    name = "reaper-enabled",
    havingValue = "true",
    matchIfMissing = true)
class ExpiredLeaseReaper {
  private static final Logger log = LoggerFactory.getLogger(ExpiredLeaseReaper.class);

  private final JobQueue queue;
  private final Counter rescues;

  ExpiredLeaseReaper(JobQueue queue, MeterRegistry registry) {
    this.queue = queue;
    this.rescues =
        Counter.builder("cnn.jobs.rescues")
            .description("Jobs taken back from workers whose lease expired")
            .register(registry);
  }

  @Scheduled(
      fixedDelayString = "${cnn.workers.reaper-interval:30s}",
      initialDelayString = "${cnn.workers.reaper-interval:30s}")
  void rescueExpired() {
    try {
      int rescued = queue.rescueExpired();
      if (rescued > 0) {
        rescues.increment(rescued);
        log.info("rescued {} job(s) whose worker lost its lease", rescued);
      }
    } catch (DataAccessException e) {
      // The database may be briefly away; the next round tries again.
      log.warn("could not look for expired leases: {}", e.getMessage());
    }
  }
}
