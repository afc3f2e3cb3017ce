package org.cnnsimplifier.workers;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import org.springframework.stereotype.Component;

/** What workers report to Prometheus: time jobs waited, ran, and how busy workers were. */
@Component
class WorkerMetrics {
  private final Timer queueWait;
  private final Timer jobDuration;
  private final Timer busy;

  WorkerMetrics(MeterRegistry registry) {
    this.queueWait =
        Timer.builder("cnn.jobs.queue.wait")
            .description("Time from a job becoming due to a worker claiming it")
            .register(registry);
    this.jobDuration =
        Timer.builder("cnn.jobs.duration")
            .description("Wall time of successful job attempts")
            .register(registry);
    this.busy =
        Timer.builder("cnn.workers.busy")
            .description("Time workers spent running jobs (any outcome)")
            .register(registry);
  }

  void claimed(Instant due, Instant claimedAt) {
    queueWait.record(Duration.between(due, claimedAt).abs());
  }

  void jobFinished(Instant started, Instant finished) {
    jobDuration.record(Duration.between(started, finished));
  }

  void busy(Duration duration) {
    busy.record(duration);
  }
}
