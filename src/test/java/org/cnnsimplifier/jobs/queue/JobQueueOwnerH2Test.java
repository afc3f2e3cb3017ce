package org.cnnsimplifier.jobs.queue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The owner-side queue contract on the embedded H2 default. */
class JobQueueOwnerH2Test extends OwnerContract {
  @TempDir static Path directory;

  @Override
  HikariDataSource openDataSource() {
    return h2(directory);
  }
}
