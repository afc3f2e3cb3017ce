package org.cnnsimplifier.jobs.queue;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** On PostgreSQL every stored event is signalled at its commit, through LISTEN/NOTIFY. */
class JobSignalsPostgresTest extends QueueTestBase {

  @Override
  HikariDataSource openDataSource() {
    return postgres();
  }

  @Test
  void anEventIsSignalledAtItsCommitWithItsJobAndType() throws Exception {
    LinkedBlockingQueue<JobSignals.Signal> received = new LinkedBlockingQueue<>();
    try (JobSignals signals =
        new PostgresSignals(() -> SideConnections.open(SideConnections.of(dataSource).get()))) {
      signals.subscribe(received::add);
      Thread.sleep(500); // LISTEN is in place

      UUID id = enqueue("alice").id();

      JobSignals.Signal signal = received.poll(10, TimeUnit.SECONDS);
      assertThat(signal).isEqualTo(new JobSignals.Signal(id, JobEvent.QUEUED));
      assertThat(signal.mayFreeWork()).isTrue();
    }
  }
}
