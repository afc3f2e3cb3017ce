package org.cnnsimplifier.jobs.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * What the owner-facing API relies on: idempotent enqueue, cancellation, owner isolation, listing
 * and events. Run against every database the queue supports.
 */
abstract class OwnerContract extends QueueTestBase {

  static NewJob keyed(String owner, String key, String hash) {
    return new NewJob(owner, 0, 3, MODEL, DATASET, "{}", key, hash);
  }

  @Test
  void enqueuedJobIsQueuedAndDueNow() {
    EnqueueResult result = queue.enqueue(newJob("alice", 7));

    Job job = result.job();
    assertThat(result.created()).isTrue();
    assertThat(job.state()).isEqualTo(JobState.QUEUED);
    assertThat(job.priority()).isEqualTo(7);
    assertThat(job.attempt()).isZero();
    assertThat(job.runAt()).isBeforeOrEqualTo(databaseNow());
    assertThat(job.createdAt()).isEqualTo(clock.instant());
    assertThat(queue.events("alice", job.id(), 0, 10))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.type()).isEqualTo(JobEvent.QUEUED);
              assertThat(event.payload()).isEqualTo("{\"priority\":7}");
            });
  }

  @Test
  void sameIdempotencyKeyAndRequestReturnsTheFirstJob() {
    EnqueueResult first = queue.enqueue(keyed("alice", "key-1", "hash-a"));
    EnqueueResult again = queue.enqueue(keyed("alice", "key-1", "hash-a"));

    assertThat(again.created()).isFalse();
    assertThat(again.job().id()).isEqualTo(first.job().id());
    assertThat(queue.countByState().get(JobState.QUEUED)).isEqualTo(1);
  }

  @Test
  void sameIdempotencyKeyWithAnotherRequestConflicts() {
    UUID first = queue.enqueue(keyed("alice", "key-1", "hash-a")).job().id();

    assertThatThrownBy(() -> queue.enqueue(keyed("alice", "key-1", "hash-b")))
        .isInstanceOf(IdempotencyConflictException.class)
        .satisfies(
            e -> assertThat(((IdempotencyConflictException) e).existingJobId()).isEqualTo(first));
    assertThat(queue.countByState().get(JobState.QUEUED)).isEqualTo(1);
  }

  @Test
  void idempotencyKeysAreKeptApartByOwner() {
    UUID alices = queue.enqueue(keyed("alice", "key-1", "hash-a")).job().id();
    EnqueueResult bobs = queue.enqueue(keyed("bob", "key-1", "hash-b"));

    assertThat(bobs.created()).isTrue();
    assertThat(bobs.job().id()).isNotEqualTo(alices);
  }

  @Test
  void concurrentRequestsWithOneKeyCreateOneJob() throws Exception {
    int clients = 6;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<EnqueueResult>> results = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      results.add(
          pool.submit(
              () -> {
                start.await();
                return queue.enqueue(keyed("alice", "race", "hash"));
              }));
    }
    start.countDown();
    List<EnqueueResult> answers = new ArrayList<>();
    for (Future<EnqueueResult> result : results) {
      answers.add(result.get(30, TimeUnit.SECONDS));
    }
    pool.shutdown();

    assertThat(answers.stream().filter(EnqueueResult::created)).hasSize(1);
    assertThat(answers.stream().map(a -> a.job().id()).collect(Collectors.toSet())).hasSize(1);
    assertThat(queue.countByState().get(JobState.QUEUED)).isEqualTo(1);
  }

  @Test
  void cancellingAQueuedJobCancelsItAtOnce() {
    UUID id = enqueue("alice").id();

    CancelResult result = queue.requestCancel(id, "alice");

    assertThat(result)
        .isEqualTo(new CancelResult(CancelResult.Outcome.CANCELLED, JobState.CANCELLED));
    assertThat(row(id).state()).isEqualTo(JobState.CANCELLED);
    assertThat(row(id).finishedAt()).isEqualTo(clock.instant());
    assertThat(queue.claim("w", LEASE)).isEmpty();
    assertThat(eventTypes(id)).containsExactly("queued", "cancelled");
  }

  @Test
  void cancellingARunningJobFlagsItForTheWorkerToHonour() {
    UUID id = enqueue("alice").id();
    Lease lease = claim("w").lease();
    assertThat(queue.heartbeat(lease, LEASE).cancelRequested()).isFalse();

    CancelResult result = queue.requestCancel(id, "alice");
    assertThat(queue.requestCancel(id, "alice").outcome())
        .isEqualTo(CancelResult.Outcome.CANCEL_REQUESTED);

    assertThat(result.outcome()).isEqualTo(CancelResult.Outcome.CANCEL_REQUESTED);
    assertThat(row(id).state()).isEqualTo(JobState.RUNNING);
    assertThat(queue.heartbeat(lease, LEASE)).isEqualTo(new HeartbeatResult(true, true));
    assertThat(queue.cancelled(lease)).isTrue();
    assertThat(row(id).state()).isEqualTo(JobState.CANCELLED);
    assertThat(eventTypes(id))
        .containsExactly("queued", "started", "cancel_requested", "cancelled");
  }

  @Test
  void aJobWhoseCancelWasAskedIsNotRetriedOrRequeued() {
    UUID failing = enqueue("alice").id();
    Lease failingLease = claim("w").lease();
    queue.requestCancel(failing, "alice");
    assertThat(queue.fail(failingLease, "boom")).isTrue();
    assertThat(row(failing).state()).isEqualTo(JobState.CANCELLED);

    UUID dying = enqueue("alice").id();
    claim("w");
    queue.requestCancel(dying, "alice");
    expireLease(dying);
    assertThat(queue.rescueExpired()).isEqualTo(1);
    assertThat(row(dying).state()).isEqualTo(JobState.CANCELLED);
  }

  @Test
  void cancellingAFinishedJobSaysSoAndChangesNothing() {
    UUID id = enqueue("alice").id();
    assertThat(queue.succeed(claim("w").lease(), "r", "{}")).isTrue();
    Job done = row(id);

    assertThat(queue.requestCancel(id, "alice"))
        .isEqualTo(new CancelResult(CancelResult.Outcome.ALREADY_FINISHED, JobState.SUCCEEDED));
    assertThat(row(id)).isEqualTo(done);
  }

  @Test
  void ownersCannotSeeOrTouchEachOthersJobs() {
    UUID alices = enqueue("alice").id();
    UUID bobs = enqueue("bob").id();

    assertThat(queue.find("bob", alices)).isEmpty();
    assertThat(queue.find("alice", alices)).map(Job::id).contains(alices);
    assertThat(queue.list("bob", Optional.empty(), 0, 10).items())
        .extracting(Job::id)
        .containsExactly(bobs);
    assertThat(queue.events("bob", alices, 0, 10)).isEmpty();
    assertThat(queue.requestCancel(alices, "bob").outcome())
        .isEqualTo(CancelResult.Outcome.NOT_FOUND);
    assertThat(queue.requestCancel(UUID.randomUUID(), "alice").outcome())
        .isEqualTo(CancelResult.Outcome.NOT_FOUND);
    assertThat(row(alices).state()).isEqualTo(JobState.QUEUED);
  }

  @Test
  void listsNewestFirstWithTotalAndStateFilter() {
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(enqueue("alice").id());
      clock.advance(Duration.ofSeconds(1));
    }
    enqueue("bob");
    queue.requestCancel(ids.get(0), "alice");

    JobPage first = queue.list("alice", Optional.empty(), 0, 2);
    JobPage last = queue.list("alice", Optional.empty(), 2, 2);
    JobPage queued = queue.list("alice", Optional.of(JobState.QUEUED), 0, 10);

    assertThat(first.total()).isEqualTo(5);
    assertThat(first.items()).extracting(Job::id).containsExactly(ids.get(4), ids.get(3));
    assertThat(last.items()).extracting(Job::id).containsExactly(ids.get(0));
    assertThat(queued.total()).isEqualTo(4);
    assertThat(queued.items()).extracting(Job::id).doesNotContain(ids.get(0));
  }

  @Test
  void eventsPageFromAnIdInOrder() {
    UUID id = enqueue("alice").id();
    Lease lease = claim("w").lease();
    for (int layer = 1; layer <= 3; layer++) {
      assertThat(queue.appendEvent(lease, "layer", "{\"layer\":" + layer + "}")).isTrue();
    }

    List<JobEvent> all = queue.events("alice", id, 0, 100);
    List<JobEvent> afterSecond = queue.events("alice", id, all.get(1).id(), 2);

    assertThat(all)
        .extracting(JobEvent::type)
        .containsExactly("queued", "started", "layer", "layer", "layer");
    assertThat(afterSecond).containsExactly(all.get(2), all.get(3));
    assertThat(queue.latestEventId()).isEqualTo(all.get(4).id());
    assertThat(queue.eventsAfter(all.get(3).id(), 10)).containsExactly(all.get(4));
  }

  @Test
  void eventFeedWaitsForALateCommitAndPassesOverARollback() throws Exception {
    UUID cancelled = enqueue("alice").id();
    queue.requestCancel(cancelled, "alice");
    enqueue("alice");
    EventFeed feed = new EventFeed(queue, clock, Duration.ofSeconds(5));
    Lease lease;
    try (Connection slow = dataSource.getConnection()) {
      slow.setAutoCommit(false);
      insertEvent(slow, cancelled, "slow");
      lease = claim("w").lease();

      assertThat(feed.poll(10)).as("the slow event's id is still a hole").isEmpty();
      slow.commit();
    }
    assertThat(feed.poll(10)).extracting(JobEvent::type).containsExactly("slow", "started");

    try (Connection aborted = dataSource.getConnection()) {
      aborted.setAutoCommit(false);
      insertEvent(aborted, cancelled, "aborted");
      aborted.rollback();
    }
    assertThat(queue.appendEvent(lease, "after-rollback", "{}")).isTrue();
    assertThat(feed.poll(10)).isEmpty();
    clock.advance(Duration.ofSeconds(5));
    assertThat(feed.poll(10)).extracting(JobEvent::type).containsExactly("after-rollback");
    assertThat(feed.position()).isEqualTo(queue.latestEventId());
  }

  private static void insertEvent(Connection connection, UUID job, String type) throws Exception {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO job_event (job_id, type, payload, created_at) VALUES (?, ?, '{}', ?)")) {
      insert.setObject(1, job);
      insert.setString(2, type);
      insert.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
      insert.executeUpdate();
    }
  }

  @Test
  void countsJobsInEveryState() {
    enqueue("alice");
    enqueue("bob");
    claim("w");

    assertThat(queue.countByState())
        .containsOnlyKeys(Set.of(JobState.values()))
        .containsEntry(JobState.QUEUED, 1L)
        .containsEntry(JobState.RUNNING, 1L)
        .containsEntry(JobState.FAILED, 0L);
  }
}
