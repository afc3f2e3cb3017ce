package org.cnnsimplifier.jobs.queue;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The queue's timing ({@code cnn.workers.*}; the worker module reads its own keys from the same
 * prefix).
 *
 * @param lease how long a claim or heartbeat keeps a job; a worker silent for longer is presumed
 *     dead and its job rescued
 * @param heartbeat how often a worker renews its lease; well under {@code lease}
 * @param reaperInterval how often each node looks for lapsed leases
 * @param reaperEnabled whether this node runs the reaper at all ({@code reaper-enabled})
 * @param maxAttempts attempts a job gets by default
 * @param retryBackoff the wait after a first failed attempt; doubled for each further one
 * @param retryBackoffMax the longest wait between attempts
 * @param maxRescues how often a job may be taken back from a worker that died (or lost the
 *     database) before it fails; rescues do not use up attempts, since the job did nothing wrong,
 *     but a job that kills every worker that runs it must stop somewhere
 * @param maxRunningPerOwner how many jobs of one owner may run at once on all workers together; 0
 *     for no limit
 */
@ConfigurationProperties("cnn.workers")
public record QueueProperties(
    @DefaultValue("60s") Duration lease,
    @DefaultValue("20s") Duration heartbeat,
    @DefaultValue("30s") Duration reaperInterval,
    @DefaultValue("true") boolean reaperEnabled,
    @DefaultValue("3") int maxAttempts,
    @DefaultValue("30s") Duration retryBackoff,
    @DefaultValue("1h") Duration retryBackoffMax,
    @DefaultValue("10") int maxRescues,
    @DefaultValue("0") int maxRunningPerOwner) {

  public QueueProperties {
    requirePositive(lease, "lease");
    requirePositive(heartbeat, "heartbeat");
    requirePositive(reaperInterval, "reaper-interval");
    requirePositive(retryBackoff, "retry-backoff");
    requirePositive(retryBackoffMax, "retry-backoff-max");
    if (maxAttempts < 1) {
      throw new IllegalStateException("cnn.workers.max-attempts must be at least 1");
    }
    if (maxRescues < 0) {
      throw new IllegalStateException("cnn.workers.max-rescues must be 0 or more");
    }
    if (maxRunningPerOwner < 0) {
      throw new IllegalStateException(
          "cnn.workers.max-running-per-owner must be 0 (no limit) or more");
    }
    if (heartbeat.compareTo(lease) >= 0) {
      throw new IllegalStateException(
          "cnn.workers.heartbeat ("
              + heartbeat
              + ") must be shorter than cnn.workers.lease ("
              + lease
              + "), or every job would be rescued while it runs");
    }
  }

  /** The defaults, as documented above. */
  public static QueueProperties defaults() {
    return new QueueProperties(
        Duration.ofSeconds(60),
        Duration.ofSeconds(20),
        Duration.ofSeconds(30),
        true,
        3,
        Duration.ofSeconds(30),
        Duration.ofHours(1),
        10,
        0);
  }

  /** The same settings with another cap on an owner's running jobs (0: none). */
  public QueueProperties withMaxRunningPerOwner(int cap) {
    return new QueueProperties(
        lease,
        heartbeat,
        reaperInterval,
        reaperEnabled,
        maxAttempts,
        retryBackoff,
        retryBackoffMax,
        maxRescues,
        cap);
  }

  /**
   * How long to wait before the next attempt after attempt {@code attempt} (1 for the first)
   * failed: {@code retryBackoff × 2^(attempt−1)}, at most {@code retryBackoffMax}.
   */
  public Duration backoff(int attempt) {
    int doublings = Math.max(0, Math.min(attempt - 1, 30));
    Duration wait = retryBackoff;
    for (int i = 0; i < doublings && wait.compareTo(retryBackoffMax) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(retryBackoffMax) > 0 ? retryBackoffMax : wait;
  }

  private static void requirePositive(Duration value, String key) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalStateException("cnn.workers." + key + " must be positive, got " + value);
    }
  }
}
