package org.cnnsimplifier.jobs.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The queue's settings, their binding from {@code cnn.workers.*}, and the reaper's schedule. */
class QueuePropertiesTest {
  private final ApplicationContextRunner context =
      new ApplicationContextRunner()
          .withUserConfiguration(QueueConfig.class, ExpiredLeaseReaper.class)
          .withBean(JobQueue.class, () -> mock(JobQueue.class))
          .withBean(
              io.micrometer.core.instrument.MeterRegistry.class,
              io.micrometer.core.instrument.simple.SimpleMeterRegistry::new);

  static QueueProperties withBackoff(Duration base, Duration max) {
    return new QueueProperties(
        Duration.ofSeconds(60),
        Duration.ofSeconds(20),
        Duration.ofSeconds(30),
        true,
        3,
        base,
        max,
        10,
        0);
  }

  @Test
  void backoffDoublesFromTheBaseUpToTheCap() {
    QueueProperties properties = withBackoff(Duration.ofSeconds(30), Duration.ofSeconds(100));

    assertThat(properties.backoff(1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(properties.backoff(2)).isEqualTo(Duration.ofSeconds(60));
    assertThat(properties.backoff(3)).isEqualTo(Duration.ofSeconds(100));
    assertThat(properties.backoff(1_000)).isEqualTo(Duration.ofSeconds(100));
  }

  @Test
  void refusesAHeartbeatThatIsNotShorterThanTheLease() {
    assertThatThrownBy(
            () ->
                new QueueProperties(
                    Duration.ofSeconds(20),
                    Duration.ofSeconds(20),
                    Duration.ofSeconds(30),
                    true,
                    3,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(2),
                    10,
                    0))
        .hasMessageContaining("cnn.workers.heartbeat");
  }

  @Test
  void refusesZeroAttempts() {
    assertThatThrownBy(
            () ->
                new QueueProperties(
                    Duration.ofSeconds(60),
                    Duration.ofSeconds(20),
                    Duration.ofSeconds(30),
                    true,
                    0,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(2),
                    10,
                    0))
        .hasMessageContaining("max-attempts");
  }

  @Test
  void bindsTheApplicationKeysWithDefaultsForTheRest() {
    context
        .withPropertyValues(
            "cnn.workers.lease=90s", "cnn.workers.max-attempts=5", "cnn.workers.retry-backoff=2m")
        .run(
            app -> {
              QueueProperties properties = app.getBean(QueueProperties.class);
              assertThat(properties.lease()).isEqualTo(Duration.ofSeconds(90));
              assertThat(properties.maxAttempts()).isEqualTo(5);
              assertThat(properties.retryBackoff()).isEqualTo(Duration.ofMinutes(2));
              assertThat(properties.heartbeat()).isEqualTo(QueueProperties.defaults().heartbeat());
              assertThat(properties.retryBackoffMax()).isEqualTo(Duration.ofHours(1));
              assertThat(properties.reaperEnabled()).isTrue();
            });
  }

  @Test
  void reaperRescuesOnItsInterval() {
    context
        .withPropertyValues("cnn.workers.reaper-interval=50ms")
        .run(app -> verify(app.getBean(JobQueue.class), timeout(5_000).atLeast(2)).rescueExpired());
  }

  @Test
  void reaperCanBeTurnedOff() {
    context
        .withPropertyValues("cnn.workers.reaper-enabled=false")
        .run(app -> assertThat(app).doesNotHaveBean(ExpiredLeaseReaper.class));
  }
}
