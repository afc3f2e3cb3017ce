package org.cnnsimplifier.jobs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long finished jobs keep what they produced ({@code cnn.retention.*}).
 *
 * @param results how long after it ended a job keeps its result, checkpoint, review and events (its
 *     row, spec and report stay); 0 keeps them until the job is deleted
 * @param interval how often each node looks for jobs to retire and working files to delete
 */
@ConfigurationProperties("cnn.retention")
public record RetentionProperties(
    @DefaultValue("30d") Duration results, @DefaultValue("1h") Duration interval) {

  public RetentionProperties {
    if (results.isNegative()) {
      throw new IllegalStateException("cnn.retention.results must be 0 (keep) or positive");
    }
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalStateException("cnn.retention.interval must be positive");
    }
  }
}
