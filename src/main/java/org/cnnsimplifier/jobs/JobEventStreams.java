package org.cnnsimplifier.jobs;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.cnnsimplifier.jobs.queue.JobEvent;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.cnnsimplifier.jobs.queue.JobSignals;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events for jobs. Each stream has one ordered path: it reads its job's stored events
 * after the last id it sent, in pages, and sends them; replay and live delivery are the same reads,
 * so a reconnect loses nothing whatever the replay's length. A {@link JobSignals} signal of its job
 * (LISTEN/NOTIFY on PostgreSQL, polling on H2) makes it read again; so does the keep-alive every 15
 * s, in case a signal was lost. Event ids of one job are given in commit order (every writer holds
 * the job's row), so reading after the last id sent never skips one.
 *
 * <p>Each stream sends on a thread of its own while it has something to send: a client that reads
 * slowly holds up its own stream only. A stream ends after the job's terminal event.
 */
@Component
class JobEventStreams implements DisposableBean {
  private static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
  private static final long TIMEOUT_MS = Duration.ofMinutes(30).toMillis();
  static final int PAGE = 500;

  private final JobQueue queue;
  private final Supplier<SseEmitter> emitters;
  private final Map<UUID, Set<Stream>> streams = new ConcurrentHashMap<>();
  private final ExecutorService senders;
  private final ScheduledExecutorService ticker;

  @Autowired
  JobEventStreams(JobQueue queue, JobSignals signals) {
    this(queue, signals, () -> new SseEmitter(TIMEOUT_MS));
  }

  JobEventStreams(JobQueue queue, JobSignals signals, Supplier<SseEmitter> emitters) {
    this.queue = queue;
    this.emitters = emitters;
    AtomicInteger threads = new AtomicInteger();
    this.senders =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "job-event-stream-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "job-event-keep-alive");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleWithFixedDelay(
        this::keepAlive, KEEP_ALIVE.toMillis(), KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
    signals.subscribe(this::signalled);
  }

  /** Opens a stream of the owner's job, replaying events after {@code afterId}, then following. */
  SseEmitter open(String owner, UUID jobId, long afterId) {
    SseEmitter emitter = emitters.get();
    // A job that has ended has all its events stored (state and event commit together): after the
    // replay there is nothing to follow, even when the client had seen the last one already.
    boolean ended = queue.find(owner, jobId).map(job -> job.state().isTerminal()).orElse(false);
    Stream stream = new Stream(owner, jobId, emitter, afterId, ended);
    streams.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(stream);
    emitter.onCompletion(stream::close);
    emitter.onTimeout(stream::close);
    emitter.onError(e -> stream.close());
    stream.wake(false);
    return emitter;
  }

  int openStreams() {
    return streams.values().stream().mapToInt(Set::size).sum();
  }

  private void signalled(JobSignals.Signal signal) {
    if (signal.jobId() == null) {
      streams.values().forEach(set -> set.forEach(stream -> stream.wake(false)));
      return;
    }
    Set<Stream> listeners = streams.get(signal.jobId());
    if (listeners != null) {
      listeners.forEach(stream -> stream.wake(false));
    }
  }

  private void keepAlive() {
    streams.values().forEach(set -> set.forEach(stream -> stream.wake(true)));
  }

  @Override
  public void destroy() {
    ticker.shutdownNow();
    streams.values().forEach(set -> set.forEach(s -> s.emitter.complete()));
    senders.shutdownNow();
  }

  /** One client's stream: its cursor, and whether a sender is at work on it. */
  private final class Stream {
    private final String owner;
    private final UUID jobId;
    private final SseEmitter emitter;
    private final boolean endedAtOpen;
    private long lastSent;
    private boolean running;
    private boolean again;
    private boolean ping;
    private volatile boolean closed;

    Stream(String owner, UUID jobId, SseEmitter emitter, long afterId, boolean endedAtOpen) {
      this.owner = owner;
      this.jobId = jobId;
      this.emitter = emitter;
      this.lastSent = afterId;
      this.endedAtOpen = endedAtOpen;
    }

    /** Asks for a read (and a keep-alive comment); one sender at a time per stream. */
    void wake(boolean withPing) {
      synchronized (this) {
        if (closed) {
          return;
        }
        ping |= withPing;
        again = true;
        if (running) {
          return;
        }
        running = true;
      }
      try {
        senders.execute(this::drain);
      } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
        close();
      }
    }

    private void drain() {
      try {
        while (true) {
          boolean sendPing;
          synchronized (this) {
            if (!again || closed) {
              running = false;
              return;
            }
            again = false;
            sendPing = ping;
            ping = false;
          }
          if (sendPing) {
            emitter.send(SseEmitter.event().comment("keep-alive"));
          }
          sendNewEvents();
        }
      } catch (IOException | RuntimeException e) {
        close();
        synchronized (this) {
          running = false;
        }
      }
    }

    /** Every stored event after the cursor, page by page, in id order. */
    private void sendNewEvents() throws IOException {
      List<JobEvent> page;
      do {
        page = queue.events(owner, jobId, lastSent, PAGE);
        for (JobEvent event : page) {
          emitter.send(
              SseEmitter.event()
                  .id(Long.toString(event.id()))
                  .name(event.type())
                  .data(event.payload(), MediaType.APPLICATION_JSON));
          lastSent = event.id();
          if (event.isTerminal()) {
            finish();
            return;
          }
        }
      } while (page.size() == PAGE && !closed);
      if (endedAtOpen) {
        finish();
      }
    }

    private void finish() {
      closed = true;
      remove();
      emitter.complete();
    }

    void close() {
      closed = true;
      remove();
    }

    private void remove() {
      Set<Stream> set = streams.get(jobId);
      if (set != null) {
        set.remove(this);
        if (set.isEmpty()) {
          streams.remove(jobId, set);
        }
      }
    }
  }
}
