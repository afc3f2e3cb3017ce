package org.cnnsimplifier.jobs.queue;

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

  ExpiredLeaseReaper(JobQueue queue) {
    this.queue = queue;
  }

  @Scheduled(
      fixedDelayString = "${cnn.workers.reaper-interval:30s}",
      initialDelayString = "${cnn.workers.reaper-interval:30s}")
  void rescueExpired() {
    try {
      int rescued = queue.rescueExpired();
      if (rescued > 0) {
        log.info("rescued {} job(s) whose worker lost its lease", rescued);
      }
    } catch (DataAccessException e) {
      // The database may be briefly away; the next round tries again.
      log.warn("could not look for expired leases: {}", e.getMessage());
    }
  }
}
