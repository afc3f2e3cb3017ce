package org.cnnsimplifier.jobs.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the events of all jobs in id order, for a node-wide fan-out to live streams, without
 * missing one that commits late.
 *
 * <p>Event ids come from an identity column: one apart, except where an insert rolled back. A hole
 * in the ids usually means a transaction that took its id earlier has not committed yet; reading
 * past it would skip that event for good (and a skipped {@code succeeded} would leave a stream open
 * forever). So the feed stops before a hole and waits for it to fill, up to {@code holeGrace} on
 * this node's clock; a hole older than that was a rollback and is passed over.
 *
 * <p>Not a bean: each poller makes its own. Thread-safe.
 */
public final class EventFeed {
  private final JobQueue queue;
  private final Clock clock;
  private final Duration holeGrace;
  private long lastId;
  private long holeBefore = -1;
  private Instant holeSeenAt;

  /** Starts after the newest event there is now. */
  public EventFeed(JobQueue queue, Clock clock, Duration holeGrace) {
    this(queue, clock, holeGrace, queue.latestEventId());
  }

  /** Starts after event {@code afterId}. */
  public EventFeed(JobQueue queue, Clock clock, Duration holeGrace, long afterId) {
    this.queue = queue;
    this.clock = clock;
    this.holeGrace = holeGrace;
    this.lastId = afterId;
  }

  /** The id of the last event handed out. */
  public synchronized long position() {
    return lastId;
  }

  /** The next events in id order, at most {@code limit}; empty when none are ready. */
  public synchronized List<JobEvent> poll(int limit) {
    List<JobEvent> ready = new ArrayList<>();
    for (JobEvent event : queue.eventsAfter(lastId, limit)) {
      if (event.id() != lastId + 1 && !holeIsOld(event.id())) {
        break;
      }
      ready.add(event);
      lastId = event.id();
    }
    return ready;
  }

  private boolean holeIsOld(long nextId) {
    Instant now = clock.instant();
    if (holeBefore != nextId) {
      holeBefore = nextId;
      holeSeenAt = now;
    }
    return Duration.between(holeSeenAt, now).compareTo(holeGrace) >= 0;
  }
}
