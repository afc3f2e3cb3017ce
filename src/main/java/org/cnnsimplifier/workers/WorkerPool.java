package org.cnnsimplifier.workers;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.cnnsimplifier.jobs.queue.ClaimedJob;
import org.cnnsimplifier.jobs.queue.Heartbeats;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.cnnsimplifier.jobs.queue.JobSignals;
import org.cnnsimplifier.jobs.queue.QueueProperties;
import org.cnnsimplifier.storage.BlobStore;
import org.cnnsimplifier.system.ScratchSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The worker threads of this process: each claims a job, runs it, and asks again. On shutdown
 * (SIGTERM) they stop claiming, and a running job stops at its next batch and is handed back to the
 * queue with its last checkpoint, for another worker to finish. Absent in the API-only role ({@code
 * cnn.workers.enabled=false}).
 */
@Component
@ConditionalOnProperty(name = "cnn.workers.enabled", havingValue = "true", matchIfMissing = true)
public class WorkerPool implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  private final JobQueue queue;
  private final QueueProperties queueProperties;
  private final WorkerProperties properties;
  private final JobExecution.Services services;
  private final Clock clock;
  private final String processId;
  private final Set<java.nio.file.Path> keep;
  private final Set<JobExecution> running = ConcurrentHashMap.newKeySet();
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean stopping;

  public WorkerPool(
      JobQueue queue,
      QueueProperties queueProperties,
      WorkerProperties properties,
      BlobStore blobs,
      JobInputs inputs,
      tools.jackson.databind.ObjectMapper json,
      Clock clock,
      WorkerMetrics metrics,
      org.cnnsimplifier.jobs.ReviewStore reviews,
      org.cnnsimplifier.jobs.JobBlobs jobBlobs,
      Heartbeats heartbeats,
      JobSignals signals,
      TensorStoreDirectory stores) {
    this.queue = queue;
    this.queueProperties = queueProperties;
    this.properties = properties;
    this.clock = clock;
    this.keep = Set.of(stores.root());
    this.processId = hostName() + "-" + UUID.randomUUID().toString().substring(0, 8);
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "job-heartbeats");
              t.setDaemon(true);
              return t;
            });
    this.services =
        new JobExecution.Services(
            queue,
            heartbeats,
            blobs,
            inputs,
            json,
            clock,
            queueProperties.lease(),
            queueProperties.heartbeat(),
            properties.workDir(),
            timer,
            metrics,
            reviews,
            jobBlobs);
    // An idle worker sleeps until a job may be claimable (queued, rescued, a slot freed) or its
    // poll interval passes (a retry whose back-off ended sends no signal).
    signals.subscribe(
        signal -> {
          if (signal.mayFreeWork()) {
            wakeIdle();
          }
        });
  }

  private final Object idle = new Object();
  private long wakeUps;

  private void wakeIdle() {
    synchronized (idle) {
      wakeUps++;
      idle.notifyAll();
    }
  }

  /** Waits up to {@code duration}, or until a signal says there may be work. */
  private void awaitWork(Duration duration, long seen) {
    long deadline = System.nanoTime() + duration.toNanos();
    synchronized (idle) {
      try {
        while (wakeUps == seen && !stopping) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            return;
          }
          TimeUnit.NANOSECONDS.timedWait(idle, left);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopping = true;
      }
    }
  }

  private long wakeUpsSoFar() {
    synchronized (idle) {
      return wakeUps;
    }
  }

  @Override
  public synchronized void start() {
    stopping = false;
    // Work folders of jobs whose process was killed; then every ten minutes, for other
    // processes sharing the folder that die while this one runs.
    // The tensor stores (in the work directory by default) outlive jobs: kept.
    ScratchSpace.sweep(properties.workDir(), keep);
    services
        .timer()
        .scheduleWithFixedDelay(
            () -> ScratchSpace.sweep(properties.workDir(), keep), 10, 10, TimeUnit.MINUTES);
    for (int i = 0; i < properties.concurrency(); i++) {
      String workerId = processId + "/" + i;
      Thread thread = new Thread(() -> loop(workerId), "worker-" + i);
      threads.add(thread);
      thread.start();
    }
    log.info("{} worker(s) started as {}", properties.concurrency(), processId);
  }

  private void loop(String workerId) {
    while (!stopping) {
      long seen = wakeUpsSoFar();
      Optional<ClaimedJob> claimed;
      try {
        claimed = queue.claim(workerId, queueProperties.lease());
      } catch (RuntimeException e) {
        log.warn("cannot claim a job: {}", e.getMessage());
        sleep(properties.pollInterval().multipliedBy(5));
        continue;
      }
      if (claimed.isEmpty()) {
        awaitWork(properties.pollInterval(), seen);
        continue;
      }
      Instant start = clock.instant();
      services.metrics().claimed(claimed.get().job().runAt(), start);
      JobExecution execution = new JobExecution(claimed.get(), services);
      running.add(execution);
      if (stopping) {
        execution.requestShutdown();
      }
      try {
        execution.run();
      } finally {
        running.remove(execution);
        services.metrics().busy(Duration.between(start, clock.instant()));
      }
    }
  }

  @Override
  public void stop() {
    synchronized (this) {
      stopping = true;
      running.forEach(JobExecution::requestShutdown);
    }
    wakeIdle();
    for (Thread thread : threads) {
      try {
        thread.join(Duration.ofMinutes(5).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    threads.clear();
    services.timer().shutdownNow();
    log.info("workers stopped");
  }

  @Override
  public boolean isRunning() {
    return !threads.isEmpty() && !stopping;
  }

  /** Stops before the web server and the database pool go away. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 1000;
  }

  private void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "worker";
    }
  }
}
