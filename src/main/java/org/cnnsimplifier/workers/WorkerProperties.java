package org.cnnsimplifier.workers;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The in-process workers.
 *
 * @param enabled whether this process runs jobs (the API-only role sets false)
 * @param concurrency jobs run at once by this process
 * @param pollInterval how long an idle worker waits before asking the queue again
 * @param workDir where jobs keep their temporary files
 */
@ConfigurationProperties("cnn.workers")
public record WorkerProperties(
    boolean enabled, int concurrency, Duration pollInterval, java.nio.file.Path workDir) {

  public WorkerProperties {
    if (concurrency < 0) {
      throw new IllegalArgumentException("cnn.workers.concurrency must be >= 0");
    }
    pollInterval = pollInterval == null ? Duration.ofSeconds(1) : pollInterval;
    workDir = workDir == null ? java.nio.file.Path.of("data", "work") : workDir;
  }
}
