package org.cnnsimplifier.jobs.queue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The job queue on the {@code job} and {@code job_event} tables: safe for any number of workers on
 * any number of nodes sharing one PostgreSQL database, and for the embedded H2 default on one node.
 *
 * <p>Each method is one short transaction, committed before it returns: call them outside any
 * transaction, and never hold one while a job runs. Within one owner, higher {@code priority} runs
 * first and equal priorities run in {@code run_at} order, oldest first; owners take turns.
 *
 * <p>A worker holds a job under a {@link Lease}. All its writes are fenced by the lease token and
 * answer false once the job is no longer its own (rescued after its lease lapsed, or finished): the
 * worker must then stop at once. Lease and due times come from the database clock, so nodes with
 * skewed clocks agree; record-keeping times ({@code created_at}, {@code finished_at}, event times)
 * come from the injected {@link Clock}.
 */
@Component
public class JobQueue {
  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;
  private final QueueDialect dialect;
  private final Clock clock;
  private final LeaseWrites leases;
  private final JobReads reads;
  private final Rescuer rescuer;
  private final Cancellation cancellation;
  private final QueueProperties properties;

  /** Owners looked at by one claim; the rest wait for the next. */
  private static final int OWNERS_PER_CLAIM = 16;

  public JobQueue(
      JdbcClient jdbc,
      TransactionTemplate transactions,
      DataSource dataSource,
      Clock clock,
      QueueProperties properties) {
    this.jdbc = jdbc;
    this.transactions = transactions;
    this.dialect = QueueDialect.of(dataSource);
    this.clock = clock;
    this.leases = new LeaseWrites(jdbc, transactions, dialect, clock, properties);
    this.reads = new JobReads(jdbc);
    this.properties = properties;
    this.rescuer = new Rescuer(jdbc, transactions, clock, properties);
    this.cancellation = new Cancellation(jdbc, transactions, clock);
  }

  /**
   * Queues a job, due at once. With an idempotency key, a repeat of the same request (same owner,
   * key and request hash) returns the first job instead, even when both arrive together.
   *
   * @throws IdempotencyConflictException the key was used before with another request hash
   */
  public EnqueueResult enqueue(NewJob request) {
    String key = request.idempotencyKey();
    if (key != null) {
      Optional<Job> earlier = byIdempotencyKey(request.owner(), key);
      if (earlier.isPresent()) {
        return repeated(earlier.get(), request);
      }
    }
    try {
      return new EnqueueResult(transactions.execute(status -> insert(request)), true);
    } catch (DuplicateKeyException e) {
      if (key == null) {
        throw e;
      }
      // A concurrent request with the same key inserted first (unique job_idempotency).
      return repeated(byIdempotencyKey(request.owner(), key).orElseThrow(() -> e), request);
    }
  }

  /**
   * Takes the job that should run next, if any is due, for {@code lease}: state RUNNING, a fresh
   * lease token, the attempt counted, event {@code started}.
   *
   * <p>Owners take turns: the owner with the fewest running jobs goes first (then the one whose due
   * job waited longest), and an owner at {@code cnn.workers.max-running-per-owner} is passed over.
   * Priority orders jobs within their owner only, so no owner can starve another.
   */
  public Optional<ClaimedJob> claim(String workerId, Duration lease) {
    Objects.requireNonNull(workerId, "workerId");
    LeaseWrites.requirePositive(lease);
    UUID token = UUID.randomUUID();
    Instant now = clock.instant();
    return transactions.execute(
        status -> {
          int cap = properties.maxRunningPerOwner();
          for (String owner : ownersInTurn(cap)) {
            if (cap > 0 && (!dialect.lockOwner(jdbc, owner) || running(owner) >= cap)) {
              continue;
            }
            Optional<Job> claimed = dialect.claimNextOf(jdbc, owner, token, workerId, lease, now);
            if (claimed.isPresent()) {
              Job job = claimed.get();
              JobRows.insertEvent(
                  jdbc,
                  job.id(),
                  JobEvent.STARTED,
                  Json.object("attempt", job.attempt(), "worker", workerId),
                  now);
              return Optional.of(
                  new ClaimedJob(job, new Lease(job.id(), token, job.attempt(), workerId)));
            }
          }
          return Optional.empty();
        });
  }

  /** Owners with a due job, under the cap, in the order they take their turns. */
  private List<String> ownersInTurn(int cap) {
    return jdbc.sql(
            "SELECT q.owner FROM (SELECT owner, MIN(run_at) AS due FROM job WHERE state IN "
                + QueueDialect.CLAIMABLE
                + " AND run_at <= CURRENT_TIMESTAMP GROUP BY owner) q LEFT JOIN (SELECT owner,"
                + " COUNT(*) AS n FROM job WHERE state = 'RUNNING' GROUP BY owner) r"
                + " ON r.owner = q.owner WHERE COALESCE(r.n, 0) < :cap"
                + " ORDER BY COALESCE(r.n, 0), q.due, q.owner LIMIT "
                + OWNERS_PER_CLAIM)
        .param("cap", cap > 0 ? cap : Integer.MAX_VALUE)
        .query(String.class)
        .list();
  }

  private long running(String owner) {
    return jdbc.sql("SELECT COUNT(*) FROM job WHERE owner = :owner AND state = 'RUNNING'")
        .param("owner", owner)
        .query(Long.class)
        .single();
  }

  /** Renews the lease for {@code lease} from now; also tells whether cancellation was asked. */
  public HeartbeatResult heartbeat(Lease lease, Duration extension) {
    return leases.heartbeat(lease, extension);
  }

  /** Stores the worker's latest progress (JSON), replacing the previous. */
  public boolean recordProgress(Lease lease, String progressJson) {
    return leases.recordProgress(lease, progressJson);
  }

  /**
   * Records the last checkpoint: {@code layersDone} layers finished, saved as {@code blobKey}. The
   * caller owns the blobs: on true it may delete the previous checkpoint's, on false the one it
   * just wrote (nobody will read it).
   */
  public boolean saveCheckpoint(Lease lease, int layersDone, String blobKey) {
    return leases.saveCheckpoint(lease, layersDone, blobKey);
  }

  /** Appends an event of the worker's own (e.g. per-layer progress); rejected once stale. */
  public boolean appendEvent(Lease lease, String type, String payloadJson) {
    return leases.appendEvent(lease, type, payloadJson);
  }

  /**
   * RUNNING → SUCCEEDED with the result blob and the report; event {@code succeeded}. On false the
   * job is no longer this worker's and the caller should delete the result blob it wrote.
   */
  public boolean succeed(Lease lease, String resultBlob, String reportJson) {
    return leases.succeed(lease, resultBlob, reportJson);
  }

  /**
   * The attempt failed: RETRY_WAIT, due after {@link QueueProperties#backoff}, while attempts are
   * left (event {@code retrying}); else FAILED (event {@code failed}). If its owner asked to cancel
   * it, CANCELLED instead.
   */
  public boolean fail(Lease lease, String error) {
    return leases.fail(lease, error);
  }

  /**
   * The attempt failed for a reason another attempt cannot fix (the model, data set or plan is
   * wrong): FAILED at once; event {@code failed}.
   */
  public boolean failPermanently(Lease lease, String error) {
    return leases.failPermanently(lease, error);
  }

  /** The worker honoured a cancel request: RUNNING → CANCELLED; event {@code cancelled}. */
  public boolean cancelled(Lease lease) {
    return leases.cancelled(lease);
  }

  /**
   * Graceful shutdown: RUNNING → QUEUED with the lease cleared and the attempt given back, so
   * another worker resumes it from its checkpoint; event {@code handed_back}.
   */
  public boolean handBack(Lease lease) {
    return leases.handBack(lease);
  }

  /**
   * Pauses for a person's kernel selection: RUNNING → AWAITING_SELECTION, lease cleared (the worker
   * is free), attempt given back; event {@code awaiting_selection}. Checkpoint first.
   */
  public boolean awaitSelection(Lease lease) {
    return leases.awaitSelection(lease);
  }

  /**
   * The selection arrived: AWAITING_SELECTION → QUEUED, due now, with the updated spec; event
   * {@code resumed}. False when the owner has no such job waiting for a selection.
   */
  public boolean resumeAfterSelection(UUID id, String owner, String specJson) {
    if (!JobState.AWAITING_SELECTION.canMoveTo(JobState.QUEUED)) {
      throw new IllegalStateException("the transition table forbids resuming a selection");
    }
    Instant now = clock.instant();
    return transactions.execute(
        status -> {
          int resumed =
              jdbc.sql(
                      "UPDATE job SET state = 'QUEUED', spec = :spec, run_at = CURRENT_TIMESTAMP,"
                          + " updated_at = :now WHERE id = :id AND owner = :owner"
                          + " AND state = 'AWAITING_SELECTION'")
                  .param("spec", specJson)
                  .param("now", JobRows.timestamp(now))
                  .param("id", id)
                  .param("owner", owner)
                  .update();
          if (resumed == 1) {
            JobRows.insertEvent(jdbc, id, JobEvent.RESUMED, "{}", now);
          }
          return resumed == 1;
        });
  }

  /**
   * Cancels a job of {@code owner}: at once unless it is running; a running job is flagged and its
   * worker stops at its next heartbeat or batch. Another owner's job is not found.
   */
  public CancelResult requestCancel(UUID id, String owner) {
    return cancellation.request(id, owner);
  }

  /**
   * Gives jobs whose lease lapsed back to the queue (event {@code rescued}); a job out of attempts
   * fails, one whose cancellation was asked is cancelled. Safe to run on every node at once.
   *
   * @return how many jobs this call rescued
   */
  public int rescueExpired() {
    return rescuer.rescueExpired();
  }

  /** The job, if it exists and belongs to {@code owner}. */
  public Optional<Job> find(String owner, UUID id) {
    return reads.find(owner, id);
  }

  /** The job whoever owns it, for the service's own housekeeping (never for a request). */
  public Optional<Job> findAny(UUID id) {
    return reads.findAny(id);
  }

  /** The owner's jobs, newest first, optionally of one state; {@code page} counts from 0. */
  public JobPage list(String owner, Optional<JobState> state, int page, int size) {
    return reads.list(owner, state, page, size);
  }

  /** Events of the owner's job after {@code afterId}, oldest first; empty for another's job. */
  public List<JobEvent> events(String owner, UUID jobId, long afterId, int limit) {
    return reads.events(owner, jobId, afterId, limit);
  }

  /** The id of the newest event of any job, or 0. */
  public long latestEventId() {
    return reads.latestEventId();
  }

  /**
   * Events of all owners after {@code afterId}, oldest first. Ids are given at insert, so a
   * transaction that commits late can add an id below ones already read: to follow live, use {@link
   * EventFeed}, which waits for such holes.
   */
  public List<JobEvent> eventsAfter(long afterId, int limit) {
    return reads.eventsAfter(afterId, limit);
  }

  /** How many jobs are in each state (every state present, zero when none). */
  public Map<JobState, Long> countByState() {
    return reads.countByState();
  }

  private Job insert(NewJob request) {
    UUID id = UUID.randomUUID();
    Instant now = clock.instant();
    jdbc.sql(
            "INSERT INTO job (id, owner, state, priority, attempt, max_attempts, run_at, model_id,"
                + " dataset_id, spec, idempotency_key, request_hash, created_at, updated_at)"
                + " VALUES (:id, :owner, 'QUEUED', :priority, 0, :maxAttempts, CURRENT_TIMESTAMP,"
                + " :model, :dataset, :spec, :key, :hash, :now, :now)")
        .param("id", id)
        .param("owner", request.owner())
        .param("priority", request.priority())
        .param("maxAttempts", request.maxAttempts())
        .param("model", request.modelId())
        .param("dataset", request.datasetId())
        .param("spec", request.spec())
        .param("key", request.idempotencyKey())
        .param("hash", request.requestHash())
        .param("now", JobRows.timestamp(now))
        .update();
    JobRows.insertEvent(
        jdbc, id, JobEvent.QUEUED, Json.object("priority", request.priority()), now);
    return jdbc.sql("SELECT * FROM job WHERE id = :id")
        .param("id", id)
        .query(JobRows::job)
        .single();
  }

  private Optional<Job> byIdempotencyKey(String owner, String key) {
    return jdbc.sql("SELECT * FROM job WHERE owner = :owner AND idempotency_key = :key")
        .param("owner", owner)
        .param("key", key)
        .query(JobRows::job)
        .optional();
  }

  private static EnqueueResult repeated(Job earlier, NewJob request) {
    if (!Objects.equals(earlier.requestHash(), request.requestHash())) {
      throw new IdempotencyConflictException(request.idempotencyKey(), earlier.id());
    }
    return new EnqueueResult(earlier, false);
  }
}
