package org.cnnsimplifier.jobs;

import java.time.Clock;
import java.util.List;
import org.cnnsimplifier.jobs.queue.FinishedJobs;
import org.cnnsimplifier.jobs.queue.Job;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Every {@code cnn.retention.interval}: deletes the working blobs (checkpoint, review) of jobs that
 * ended without their worker doing it (a rescue that failed or cancelled them, a worker killed
 * between the end and its clean-up), and retires jobs that ended longer than {@code
 * cnn.retention.results} ago. Safe on every node at once: each row moves in a conditional update.
 */
@Component
@EnableConfigurationProperties(RetentionProperties.class)
class JobRetention {
  private static final Logger log = LoggerFactory.getLogger(JobRetention.class);
  private static final int BATCH = 100;

  private final FinishedJobs finished;
  private final JobQueue queue;
  private final ReviewStore reviews;
  private final JobBlobs blobs;
  private final RetentionProperties properties;
  private final Clock clock;

  JobRetention(
      FinishedJobs finished,
      JobQueue queue,
      ReviewStore reviews,
      JobBlobs blobs,
      RetentionProperties properties,
      Clock clock) {
    this.finished = finished;
    this.queue = queue;
    this.reviews = reviews;
    this.blobs = blobs;
    this.properties = properties;
    this.clock = clock;
  }

  @Scheduled(
      fixedDelayString = "${cnn.retention.interval:1h}",
      initialDelayString = "${cnn.retention.initial-delay:60s}")
  void sweep() {
    try {
      int released = releaseWorkingBlobs();
      int expired = expireOldResults();
      if (released + expired > 0) {
        log.info(
            "retention: working files of {} ended job(s) deleted, {} job(s) retired",
            released,
            expired);
      }
    } catch (DataAccessException e) {
      log.warn("retention sweep failed, next round tries again: {}", e.getMessage());
    }
  }

  /** Checkpoints and reviews of ended jobs; answers how many jobs had some. */
  int releaseWorkingBlobs() {
    int count = 0;
    for (Job job : finished.endedWithCheckpoint(BATCH)) {
      blobs.release(job);
      count++;
    }
    for (var id : reviews.ofEndedJobs(BATCH)) {
      queue.findAny(id).ifPresent(blobs::release);
      count++;
    }
    return count;
  }

  /** Jobs that ended before the retention period; answers how many were retired. */
  int expireOldResults() {
    if (properties.results().isZero()) {
      return 0;
    }
    int count = 0;
    List<Job> batch;
    do {
      batch = finished.finishedBefore(clock.instant().minus(properties.results()), BATCH);
      for (Job job : batch) {
        blobs.expire(job);
        count++;
      }
    } while (batch.size() == BATCH);
    return count;
  }
}
