package org.cnnsimplifier.jobs.queue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals on H2, which cannot notify: a quarter-second poll of new events of all jobs, through an
 * {@link EventFeed} so an event that commits late is not passed over.
 */
final class PollingSignals implements JobSignals {
  private static final Logger log = LoggerFactory.getLogger(PollingSignals.class);
  static final Duration POLL = Duration.ofMillis(250);

  private final SignalFanOut listeners = new SignalFanOut();
  private final EventFeed feed;
  private final ScheduledExecutorService poller;

  PollingSignals(JobQueue queue, Clock clock) {
    this.feed = new EventFeed(queue, clock, Duration.ofSeconds(5));
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "job-signals");
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(
        this::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void subscribe(Consumer<Signal> listener) {
    listeners.add(listener);
  }

  private void poll() {
    try {
      List<JobEvent> events;
      do {
        events = feed.poll(1000);
        for (JobEvent event : events) {
          listeners.deliver(new Signal(event.jobId(), event.type()));
        }
      } while (events.size() == 1000);
    } catch (RuntimeException e) {
      log.debug("event poll failed: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
