package org.cnnsimplifier.workers;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.jobs.queue.HeartbeatResult;
import org.cnnsimplifier.jobs.queue.Heartbeats;
import org.cnnsimplifier.jobs.queue.Job;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.cnnsimplifier.jobs.queue.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a running job's lease alive with heartbeats and tells the engine, between batches, whether
 * to stop: the owner cancelled the job, the lease was lost (another worker owns the job now), or
 * this process is shutting down.
 */
final class LeaseKeeper implements Cancellation, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  /** How often a running job asks whether its owner cancelled it, between heartbeats. */
  private static final Duration CANCEL_POLL = Duration.ofSeconds(2);

  private final Job job;
  private final Lease lease;
  private final JobQueue queue;
  private final Heartbeats heartbeats;
  private final Clock clock;
  private final Duration extension;
  private final ScheduledFuture<?> beats;
  private volatile boolean lost;
  private volatile boolean cancelled;
  private volatile boolean shuttingDown;
  private volatile Instant lastCancelPoll = Instant.EPOCH;

  LeaseKeeper(
      Job job,
      Lease lease,
      JobQueue queue,
      Heartbeats heartbeats,
      Clock clock,
      Duration extension,
      Duration interval,
      ScheduledExecutorService timer) {
    this.job = job;
    this.lease = lease;
    this.queue = queue;
    this.heartbeats = heartbeats;
    this.clock = clock;
    this.extension = extension;
    this.beats =
        timer.scheduleAtFixedRate(
            this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A fenced write affected no row: the job is not ours any more. */
  void lost() {
    lost = true;
  }

  void shutDown() {
    shuttingDown = true;
  }

  boolean isLost() {
    return lost;
  }

  boolean isCancelled() {
    return cancelled;
  }

  boolean isShuttingDown() {
    return shuttingDown;
  }

  @Override
  public boolean isRequested() {
    Instant now = clock.instant();
    if (!cancelled && now.isAfter(lastCancelPoll.plus(CANCEL_POLL))) {
      lastCancelPoll = now;
      queue
          .find(job.owner(), job.id())
          .ifPresent(current -> cancelled = current.cancelRequestedAt() != null);
    }
    return lost || cancelled || shuttingDown;
  }

  private void beat() {
    try {
      HeartbeatResult result = heartbeats.beat(lease, extension);
      if (!result.owned()) {
        lost = true;
      }
      if (result.cancelRequested()) {
        cancelled = true;
      }
    } catch (RuntimeException e) {
      // The database may be briefly unreachable; the lease outlives a few missed beats.
      log.warn("heartbeat failed: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    beats.cancel(false);
  }
}
