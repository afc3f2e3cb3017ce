package org.cnnsimplifier.jobs.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a worker relies on: each job claimed once, in priority order; leases, heartbeats and the
 * fence; rescue, retry and resume. Run against every database the queue supports.
 */
abstract class WorkerContract extends QueueTestBase {
  static final int WORKERS = 4;
  static final int JOBS = 200;

  @Test
  void concurrentWorkersRunEachJobExactlyOnce() throws Exception {
    Set<UUID> ids = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < JOBS; i++) {
      ids.add(enqueue("alice", i % 5).id());
    }
    Map<UUID, AtomicInteger> executions = new ConcurrentHashMap<>();
    AtomicInteger finished = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    List<Future<Integer>> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      String worker = "worker-" + w;
      workers.add(
          pool.submit(
              () -> {
                start.await();
                int rejected = 0;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (finished.get() < JOBS && System.nanoTime() < deadline) {
                  var claimed = queue.claim(worker, LEASE);
                  if (claimed.isEmpty()) {
                    Thread.sleep(1);
                    continue;
                  }
                  Lease lease = claimed.get().lease();
                  executions
                      .computeIfAbsent(lease.jobId(), id -> new AtomicInteger())
                      .incrementAndGet();
                  boolean ok =
                      queue.appendEvent(lease, "layer", "{}")
                          && queue.succeed(lease, "result-" + lease.jobId(), "{}");
                  rejected += ok ? 0 : 1;
                  finished.incrementAndGet();
                }
                return rejected;
              }));
    }
    start.countDown();
    for (Future<Integer> worker : workers) {
      assertThat(worker.get(90, TimeUnit.SECONDS)).as("writes rejected").isZero();
    }
    pool.shutdown();

    assertThat(executions.keySet()).isEqualTo(ids);
    assertThat(executions.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    Map<JobState, Long> counts = queue.countByState();
    assertThat(counts.get(JobState.SUCCEEDED)).isEqualTo(JOBS);
    assertThat(counts.get(JobState.RUNNING)).isZero();
    assertThat(counts.get(JobState.QUEUED)).isZero();
    assertThat(queue.claim("late", LEASE)).isEmpty();
  }

  @Test
  void claimsHigherPriorityFirstThenOldestRunAt() {
    UUID low = enqueue("alice", 0).id();
    UUID highNewer = enqueue("alice", 5).id();
    UUID highOlder = enqueue("alice", 5).id();
    UUID middle = enqueue("alice", 1).id();
    setRunAt(highNewer, LONG_AGO.plusSeconds(60));
    setRunAt(highOlder, LONG_AGO);

    List<UUID> order = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      order.add(claim("w").job().id());
    }

    assertThat(order).containsExactly(highOlder, highNewer, middle, low);
  }

  @Test
  void doesNotClaimJobBeforeItsRunAt() {
    UUID later = enqueue("alice", 9).id();
    setRunAt(later, FAR_AHEAD);
    UUID now = enqueue("alice", 0).id();

    assertThat(claim("w").job().id()).isEqualTo(now);
    assertThat(queue.claim("w", LEASE)).isEmpty();
    assertThat(row(later).state()).isEqualTo(JobState.QUEUED);
  }

  @Test
  void claimSetsLeaseFromDatabaseClockAndCountsTheAttempt() {
    UUID id = enqueue("alice").id();
    Instant before = databaseNow();

    ClaimedJob claimed = claim("worker-1");

    Job job = claimed.job();
    assertThat(job.state()).isEqualTo(JobState.RUNNING);
    assertThat(job.attempt()).isEqualTo(1);
    assertThat(job.workerId()).isEqualTo("worker-1");
    assertThat(job.leaseToken()).isEqualTo(claimed.lease().token());
    assertThat(job.leaseExpiresAt()).isBetween(before.plus(LEASE), databaseNow().plus(LEASE));
    assertThat(job.startedAt()).isEqualTo(clock.instant());
    assertThat(claimed.lease()).isEqualTo(new Lease(id, job.leaseToken(), 1, "worker-1"));
    assertThat(eventTypes(id)).containsExactly(JobEvent.QUEUED, JobEvent.STARTED);
  }

  @Test
  void heartbeatExtendsTheLease() {
    enqueue("alice");
    Lease lease = claim("w").lease();
    expireLease(lease.jobId());

    HeartbeatResult beat = queue.heartbeat(lease, Duration.ofMinutes(5));

    assertThat(beat).isEqualTo(new HeartbeatResult(true, false));
    assertThat(row(lease.jobId()).leaseExpiresAt()).isAfter(databaseNow().plusSeconds(240));
    assertThat(queue.rescueExpired()).isZero();
  }

  @Test
  void expiredLeaseIsRescuedAndAnotherWorkerCompletesTheJob() {
    UUID id = enqueue("alice").id();
    Lease dead = claim("dead").lease();
    expireLease(id);

    assertThat(queue.rescueExpired()).isEqualTo(1);
    Job rescued = row(id);
    assertThat(rescued.state()).isEqualTo(JobState.QUEUED);
    assertThat(rescued.leaseToken()).isNull();
    assertThat(queue.rescueExpired()).as("nothing left to rescue").isZero();

    assertThat(rescued.rescues()).isEqualTo(1);
    assertThat(rescued.attempt()).as("a rescue gives the attempt back").isZero();
    Lease alive = claim("alive").lease();
    assertThat(alive.attempt()).isEqualTo(1);
    assertThat(alive.token()).isNotEqualTo(dead.token());
    assertThat(queue.succeed(alive, "result", "{\"ok\":true}")).isTrue();
    assertThat(row(id).state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(row(id).resultBlob()).isEqualTo("result");
    assertThat(eventTypes(id))
        .containsExactly("queued", "started", "rescued", "started", "succeeded");
  }

  @Test
  void staleWorkerCannotWriteAfterItsJobWasRescued() {
    UUID id = enqueue("alice").id();
    Lease stale = claim("stale").lease();
    expireLease(id);
    queue.rescueExpired();

    // Rescued but not yet claimed again, then held by another worker: rejected both times.
    assertStaleWritesRejected(stale);
    Lease current = claim("current").lease();
    assertThat(queue.recordProgress(current, "{\"layer\":1}")).isTrue();
    assertStaleWritesRejected(stale);

    assertThat(queue.succeed(current, "fresh", "{}")).isTrue();
    assertThat(row(id).resultBlob()).isEqualTo("fresh");
    assertStaleWritesRejected(stale);
  }

  private void assertStaleWritesRejected(Lease stale) {
    Job before = row(stale.jobId());
    List<String> events = eventTypes(stale.jobId());

    assertThat(queue.heartbeat(stale, LEASE).owned()).isFalse();
    assertThat(queue.recordProgress(stale, "{\"layer\":99}")).isFalse();
    assertThat(queue.saveCheckpoint(stale, 99, "stale-checkpoint")).isFalse();
    assertThat(queue.appendEvent(stale, "layer", "{}")).isFalse();
    assertThat(queue.succeed(stale, "stale-result", "{}")).isFalse();
    assertThat(queue.fail(stale, "stale error")).isFalse();
    assertThat(queue.cancelled(stale)).isFalse();
    assertThat(queue.handBack(stale)).isFalse();
    assertThat(queue.awaitSelection(stale)).isFalse();

    assertThat(row(stale.jobId())).isEqualTo(before);
    assertThat(eventTypes(stale.jobId())).isEqualTo(events);
  }

  @Test
  void heartbeatForAJobNoLongerOwnedChangesNoRow() {
    UUID id = enqueue("alice").id();
    Lease lease = claim("w").lease();
    assertThat(queue.succeed(lease, "r", "{}")).isTrue();
    Job finished = row(id);

    assertThat(queue.heartbeat(lease, LEASE)).isEqualTo(new HeartbeatResult(false, false));
    assertThat(
            queue.heartbeat(new Lease(UUID.randomUUID(), UUID.randomUUID(), 1, "w"), LEASE).owned())
        .isFalse();
    assertThat(row(id)).isEqualTo(finished);
  }

  @Test
  void checkpointOfTheFirstAttemptIsThereForTheSecondAfterRescue() {
    UUID id = enqueue("alice").id();
    Lease first = claim("first").lease();
    assertThat(queue.saveCheckpoint(first, 2, "checkpoint-after-layer-2")).isTrue();
    expireLease(id);
    queue.rescueExpired();

    ClaimedJob second = claim("second");

    assertThat(second.lease().attempt()).isEqualTo(1);
    assertThat(second.job().rescues()).isEqualTo(1);
    assertThat(second.job().checkpointLayers()).isEqualTo(2);
    assertThat(second.job().checkpointBlob()).isEqualTo("checkpoint-after-layer-2");
  }

  @Test
  void failedAttemptsWaitWithGrowingBackoffThenFailForGood() {
    UUID id = enqueue("alice").id();
    for (int attempt = 1; attempt <= 2; attempt++) {
      Lease lease = claim("w").lease();
      assertThat(lease.attempt()).isEqualTo(attempt);
      Instant before = databaseNow();
      assertThat(queue.fail(lease, "out of memory " + attempt)).isTrue();
      Instant after = databaseNow();

      Job waiting = row(id);
      Duration backoff = BACKOFF.multipliedBy(attempt == 1 ? 1 : 2);
      assertThat(waiting.state()).isEqualTo(JobState.RETRY_WAIT);
      assertThat(waiting.runAt()).isBetween(before.plus(backoff), after.plus(backoff));
      assertThat(waiting.lastError()).isEqualTo("out of memory " + attempt);
      assertThat(waiting.leaseToken()).isNull();
      assertThat(queue.claim("w", LEASE)).as("not before the backoff").isEmpty();
      setRunAt(id, LONG_AGO);
    }
    Lease last = claim("w").lease();
    assertThat(queue.fail(last, "out of memory 3")).isTrue();

    Job failed = row(id);
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.attempt()).isEqualTo(3);
    assertThat(failed.finishedAt()).isEqualTo(clock.instant());
    assertThat(queue.claim("w", LEASE)).isEmpty();
    assertThat(eventTypes(id))
        .containsExactly(
            "queued", "started", "retrying", "started", "retrying", "started", "failed");
  }

  @Test
  void rescuesDoNotUseUpAttemptsButFailTheJobPastMaxRescues() {
    Job job = queue.enqueue(new NewJob("alice", 0, 1, MODEL, DATASET, "{}", null, null)).job();
    for (int rescue = 1; rescue <= PROPERTIES.maxRescues(); rescue++) {
      claim("w" + rescue);
      expireLease(job.id());
      assertThat(queue.rescueExpired()).isEqualTo(1);
      assertThat(row(job.id()).state()).as("rescue %d", rescue).isEqualTo(JobState.QUEUED);
    }
    assertThat(row(job.id()).attempt()).isZero();
    assertThat(row(job.id()).rescues()).isEqualTo(PROPERTIES.maxRescues());

    claim("last");
    expireLease(job.id());
    assertThat(queue.rescueExpired()).isEqualTo(1);

    Job failed = row(job.id());
    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.lastError()).contains("cnn.workers.max-rescues");
    assertThat(eventTypes(job.id())).last().isEqualTo(JobEvent.FAILED);
  }

  @Test
  void aRescuedJobGoesToTheBackOfItsPriority() {
    UUID first = enqueue("alice").id();
    UUID second = enqueue("alice").id();
    setRunAt(first, LONG_AGO);
    setRunAt(second, LONG_AGO.plusSeconds(1));
    assertThat(claim("dies").job().id()).isEqualTo(first);
    expireLease(first);
    queue.rescueExpired();

    assertThat(claim("next").job().id()).as("the job waiting behind it").isEqualTo(second);
    assertThat(claim("then").job().id()).isEqualTo(first);
  }

  @Test
  void priorityOrdersJobsWithinTheirOwnerOnlyAndOwnersTakeTurns() {
    UUID aliceUrgent = enqueue("alice", 1000).id();
    UUID aliceAlso = enqueue("alice", 1000).id();
    UUID bobLow = enqueue("bob", -1000).id();
    setRunAt(aliceUrgent, LONG_AGO);
    setRunAt(aliceAlso, LONG_AGO.plusSeconds(1));
    setRunAt(bobLow, LONG_AGO.plusSeconds(10));

    // alice's job waited longest; then bob, who has nothing running, before alice's second.
    assertThat(claim("w1").job().id()).isEqualTo(aliceUrgent);
    assertThat(claim("w2").job().id()).isEqualTo(bobLow);
    assertThat(claim("w3").job().id()).isEqualTo(aliceAlso);
  }

  @Test
  void anOwnerAtTheCapOfRunningJobsIsPassedOver() {
    JobQueue capped = queue(PROPERTIES.withMaxRunningPerOwner(2));
    for (int i = 0; i < 4; i++) {
      enqueue("alice");
    }
    UUID bob = enqueue("bob").id();

    List<String> owners = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      owners.add(capped.claim("w" + i, LEASE).orElseThrow().job().owner());
    }
    assertThat(owners).containsExactlyInAnyOrder("alice", "alice", "bob");
    assertThat(capped.claim("w", LEASE)).as("alice has 2 running, bob none left").isEmpty();
    assertThat(row(bob).state()).isEqualTo(JobState.RUNNING);
  }

  @Test
  void concurrentClaimsNeverRunMoreJobsOfAnOwnerThanTheCap() throws Exception {
    JobQueue capped = queue(PROPERTIES.withMaxRunningPerOwner(3));
    for (int i = 0; i < 20; i++) {
      enqueue("alice");
    }
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS * 2);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Boolean>> claims = new ArrayList<>();
    for (int w = 0; w < WORKERS * 2; w++) {
      String worker = "w" + w;
      claims.add(
          pool.submit(
              () -> {
                start.await();
                return capped.claim(worker, LEASE).isPresent();
              }));
    }
    start.countDown();
    for (Future<Boolean> claim : claims) {
      claim.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(queue.countByState().get(JobState.RUNNING)).isLessThanOrEqualTo(3);
  }

  @Test
  void handBackRequeuesWithoutSpendingAnAttempt() {
    UUID id = enqueue("alice").id();
    Lease lease = claim("w").lease();
    assertThat(queue.saveCheckpoint(lease, 1, "cp")).isTrue();

    assertThat(queue.handBack(lease)).isTrue();

    assertThat(row(id).state()).isEqualTo(JobState.QUEUED);
    assertThat(row(id).attempt()).isZero();
    ClaimedJob again = claim("other");
    assertThat(again.lease().attempt()).isEqualTo(1);
    assertThat(again.job().checkpointBlob()).isEqualTo("cp");
    assertThat(eventTypes(id)).contains(JobEvent.HANDED_BACK);
  }

  @Test
  void awaitingSelectionFreesTheWorkerUntilTheSelectionRequeuesIt() {
    UUID id = enqueue("alice").id();
    Lease lease = claim("w").lease();

    assertThat(queue.awaitSelection(lease)).isTrue();
    assertThat(row(id).state()).isEqualTo(JobState.AWAITING_SELECTION);
    assertThat(row(id).leaseToken()).isNull();
    assertThat(queue.claim("w", LEASE)).isEmpty();
    assertThat(queue.resumeAfterSelection(id, "bob", "{\"kept\":[1]}")).isFalse();

    assertThat(queue.resumeAfterSelection(id, "alice", "{\"kept\":[1]}")).isTrue();
    assertThat(queue.resumeAfterSelection(id, "alice", "{\"kept\":[2]}")).as("once").isFalse();

    ClaimedJob resumed = claim("w");
    assertThat(resumed.job().spec()).isEqualTo("{\"kept\":[1]}");
    assertThat(resumed.lease().attempt()).isEqualTo(1);
    assertThat(eventTypes(id)).containsSubsequence("awaiting_selection", "resumed", "started");
  }
}
