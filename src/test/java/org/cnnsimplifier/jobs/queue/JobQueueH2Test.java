package org.cnnsimplifier.jobs.queue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The worker-side queue contract on the embedded H2 default (compare-and-set claim). */
class JobQueueH2Test extends WorkerContract {
  @TempDir static Path directory;

  @Override
  HikariDataSource openDataSource() {
    return h2(directory);
  }
}
