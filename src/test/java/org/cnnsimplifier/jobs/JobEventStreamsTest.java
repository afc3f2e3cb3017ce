package org.cnnsimplifier.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.cnnsimplifier.jobs.queue.JobEvent;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.cnnsimplifier.jobs.queue.JobSignals;
import org.cnnsimplifier.jobs.queue.Lease;
import org.cnnsimplifier.jobs.queue.NewJob;
import org.cnnsimplifier.jobs.queue.QueueProperties;
import org.cnnsimplifier.support.UploadRows;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Event streams on a real queue (embedded H2): a replay of any length and live events arriving
 * meanwhile reach the client in order, each once; a client that does not read holds up only its own
 * stream.
 */
class JobEventStreamsTest {
  private static final UUID MODEL = UUID.randomUUID();
  private static final UUID DATASET = UUID.randomUUID();

  @TempDir Path tmp;
  private HikariDataSource dataSource;
  private JobQueue queue;
  private final ManualSignals signals = new ManualSignals();

  /** Signals the test sends itself. */
  static final class ManualSignals implements JobSignals {
    final List<Consumer<Signal>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public void subscribe(Consumer<Signal> listener) {
      listeners.add(listener);
    }

    void send(UUID job, String type) {
      listeners.forEach(l -> l.accept(new Signal(job, type)));
    }

    @Override
    public void close() {}
  }

  /** An emitter that records what is sent, optionally slowly or not at all until released. */
  static final class Client extends SseEmitter {
    final List<String> ids = new CopyOnWriteArrayList<>();
    final CountDownLatch completed = new CountDownLatch(1);
    final CountDownLatch released;
    final long millisPerEvent;

    Client(long millisPerEvent, CountDownLatch released) {
      this.millisPerEvent = millisPerEvent;
      this.released = released;
    }

    @Override
    public void send(SseEventBuilder builder) throws IOException {
      try {
        released.await();
        Thread.sleep(millisPerEvent);
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      String text =
          builder.build().stream()
              .map(part -> String.valueOf(part.getData()))
              .reduce("", String::concat);
      if (text.startsWith("id:")) {
        ids.add(text.substring(3, text.indexOf('\n')));
      }
    }

    @Override
    public void complete() {
      completed.countDown();
    }
  }

  @BeforeEach
  void openQueue() {
    dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(
        "jdbc:h2:file:"
            + tmp.resolve("db").toAbsolutePath()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration", "classpath:db/vendor/h2")
        .load()
        .migrate();
    JdbcClient jdbc = JdbcClient.create(dataSource);
    UploadRows.insert(jdbc, MODEL, DATASET);
    queue =
        new JobQueue(
            jdbc,
            new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
            dataSource,
            Clock.systemUTC(),
            QueueProperties.defaults());
  }

  @AfterEach
  void close() {
    dataSource.close();
  }

  private Lease runningJob() {
    queue.enqueue(new NewJob("alice", 0, 3, MODEL, DATASET, "{}", null, null));
    return queue.claim("w", Duration.ofMinutes(5)).orElseThrow().lease();
  }

  private List<String> storedIds(UUID job) {
    return queue.events("alice", job, 0, 10_000).stream()
        .map(event -> Long.toString(event.id()))
        .toList();
  }

  @Test
  void aLongReplayAndLiveEventsArriveInOrderEachOnce() throws Exception {
    Lease lease = runningJob();
    for (int i = 0; i < 3 * JobEventStreams.PAGE; i++) {
      queue.appendEvent(lease, "step", "{\"i\":" + i + "}");
    }
    Client client = new Client(1, new CountDownLatch(0));
    JobEventStreams streams = new JobEventStreams(queue, signals, () -> client);

    streams.open("alice", lease.jobId(), 0);
    // Live events while the replay is still being sent, each signalled at once.
    for (int i = 0; i < 50; i++) {
      queue.appendEvent(lease, "live", "{}");
      signals.send(lease.jobId(), "live");
      Thread.sleep(5);
    }
    queue.succeed(lease, "result", "{}");
    signals.send(lease.jobId(), JobEvent.SUCCEEDED);

    assertThat(client.completed.await(60, TimeUnit.SECONDS)).as("stream ended").isTrue();
    assertThat(client.ids).isEqualTo(storedIds(lease.jobId()));
    assertThat(client.ids).hasSize(2 + 3 * JobEventStreams.PAGE + 50 + 1);
    streams.destroy();
  }

  @Test
  void aClientThatDoesNotReadHoldsUpOnlyItsOwnStream() throws Exception {
    Lease lease = runningJob();
    CountDownLatch stuck = new CountDownLatch(1);
    Client stalled = new Client(0, stuck);
    Client reading = new Client(0, new CountDownLatch(0));
    List<Client> clients = List.of(stalled, reading);
    var next = new java.util.concurrent.atomic.AtomicInteger();
    JobEventStreams streams =
        new JobEventStreams(queue, signals, () -> clients.get(next.getAndIncrement()));

    streams.open("alice", lease.jobId(), 0);
    streams.open("alice", lease.jobId(), 0);
    queue.appendEvent(lease, "step", "{}");
    signals.send(lease.jobId(), "step");
    queue.succeed(lease, "result", "{}");
    signals.send(lease.jobId(), JobEvent.SUCCEEDED);

    assertThat(reading.completed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(reading.ids).isEqualTo(storedIds(lease.jobId()));
    assertThat(stalled.ids).isEmpty();
    stuck.countDown();
    assertThat(stalled.completed.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(stalled.ids).isEqualTo(storedIds(lease.jobId()));
    streams.destroy();
  }
}
