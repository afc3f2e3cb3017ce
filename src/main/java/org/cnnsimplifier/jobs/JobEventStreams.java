package org.cnnsimplifier.jobs;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.cnnsimplifier.jobs.queue.EventFeed;
import org.cnnsimplifier.jobs.queue.JobEvent;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events for jobs: each stream first replays the job's stored events after the client's
 * {@code Last-Event-ID}, then follows new ones. One poller per process reads new events of all jobs
 * (twice a second) and fans them out, so a hundred open streams cost one query. A stream ends after
 * the job's terminal event.
 */
@Component
class JobEventStreams implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(JobEventStreams.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final long TIMEOUT_MS = Duration.ofMinutes(30).toMillis();

  private final JobQueue queue;
  private final Map<UUID, Set<Stream>> streams = new ConcurrentHashMap<>();
  private final ScheduledExecutorService poller;
  private final EventFeed feed;

  JobEventStreams(JobQueue queue, Clock clock) {
    this.queue = queue;
    this.feed = new EventFeed(queue, clock, Duration.ofSeconds(5));
    this.poller =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "job-event-streams");
              t.setDaemon(true);
              return t;
            });
    poller.scheduleWithFixedDelay(
        this::poll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    poller.scheduleWithFixedDelay(
        this::keepAlive, KEEP_ALIVE.toMillis(), KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Opens a stream of the owner's job, replaying events after {@code afterId}. */
  SseEmitter open(String owner, UUID jobId, long afterId) {
    SseEmitter emitter = new SseEmitter(TIMEOUT_MS);
    Stream stream = new Stream(jobId, emitter, afterId);
    streams.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(stream);
    emitter.onCompletion(() -> remove(stream));
    emitter.onTimeout(() -> remove(stream));
    emitter.onError(e -> remove(stream));
    // A job that has ended has all its events stored (state and event commit together): after
    // the replay there is nothing to follow, even when the client had seen the last one already.
    boolean ended = queue.find(owner, jobId).map(job -> job.state().isTerminal()).orElse(false);
    // Registered before the replay, so nothing committed meanwhile is missed; ids deduplicate.
    long after = afterId;
    List<JobEvent> stored;
    do {
      stored = queue.events(owner, jobId, after, 500);
      stream.send(stored);
      after = stored.isEmpty() ? after : stored.get(stored.size() - 1).id();
    } while (stored.size() == 500);
    if (ended) {
      stream.finish();
    }
    return emitter;
  }

  int openStreams() {
    return streams.values().stream().mapToInt(Set::size).sum();
  }

  private void poll() {
    try {
      List<JobEvent> events;
      do {
        events = feed.poll(1000);
        for (JobEvent event : events) {
          Set<Stream> listeners = streams.get(event.jobId());
          if (listeners != null) {
            listeners.forEach(stream -> stream.send(List.of(event)));
          }
        }
      } while (events.size() == 1000);
    } catch (RuntimeException e) {
      log.warn("event poll failed: {}", e.getMessage());
    }
  }

  private void keepAlive() {
    streams.values().forEach(set -> set.forEach(Stream::ping));
  }

  private void remove(Stream stream) {
    Set<Stream> set = streams.get(stream.jobId);
    if (set != null) {
      set.remove(stream);
      if (set.isEmpty()) {
        streams.remove(stream.jobId, set);
      }
    }
  }

  @Override
  public void destroy() {
    poller.shutdownNow();
    streams.values().forEach(set -> set.forEach(s -> s.emitter.complete()));
  }

  /** One client's stream; sends each event id once, in order. */
  private final class Stream {
    private final UUID jobId;
    private final SseEmitter emitter;
    private long lastSent;
    private boolean closed;

    Stream(UUID jobId, SseEmitter emitter, long afterId) {
      this.jobId = jobId;
      this.emitter = emitter;
      this.lastSent = afterId;
    }

    synchronized void send(List<JobEvent> events) {
      for (JobEvent event : events) {
        if (closed || event.id() <= lastSent) {
          continue;
        }
        try {
          emitter.send(
              SseEmitter.event()
                  .id(Long.toString(event.id()))
                  .name(event.type())
                  .data(event.payload(), MediaType.APPLICATION_JSON));
          lastSent = event.id();
          if (event.isTerminal()) {
            closed = true;
            emitter.complete();
          }
        } catch (IOException | IllegalStateException e) {
          closed = true;
          remove(this);
        }
      }
    }

    synchronized void finish() {
      if (!closed) {
        closed = true;
        emitter.complete();
      }
    }

    synchronized void ping() {
      if (closed) {
        return;
      }
      try {
        emitter.send(SseEmitter.event().comment("keep-alive"));
      } catch (IOException | IllegalStateException e) {
        closed = true;
        remove(this);
      }
    }
  }
}
