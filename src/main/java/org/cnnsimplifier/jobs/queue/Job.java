package org.cnnsimplifier.jobs.queue;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the {@code job} table, as read.
 *
 * <p>{@code runAt}, {@code leaseExpiresAt} and {@code heartbeatAt} are database-clock times (the
 * queue compares them in SQL); the other times come from the application's {@link java.time.Clock}.
 *
 * @param id the job's id
 * @param owner who created it; only they see it
 * @param state where it is in its life
 * @param priority higher runs first
 * @param attempt attempts started so far (a hand-back, a pause or a rescue gives its attempt back)
 * @param maxAttempts attempts allowed before the job fails for good
 * @param runAt not claimed before this time
 * @param modelId the model to simplify
 * @param datasetId the data set to use
 * @param spec the job's specification, JSON
 * @param leaseToken the fencing token of the worker holding it, or null
 * @param leaseExpiresAt when the lease lapses unless renewed, or null
 * @param workerId the worker that holds it, or held it last
 * @param heartbeatAt the holder's last heartbeat
 * @param cancelRequestedAt when its owner asked to cancel it while it ran, or null
 * @param checkpointLayers layers finished in the last checkpoint, or null
 * @param checkpointBlob the blob key of the last checkpoint, or null
 * @param progress the last progress the worker recorded, JSON, or null
 * @param resultBlob the blob key of the simplified model, once succeeded
 * @param report the final report, JSON, once succeeded
 * @param lastError the last attempt's error, or null
 * @param idempotencyKey the client's idempotency key, or null
 * @param requestHash a hash of the request that created it, compared on a repeated key
 * @param createdAt when it was queued
 * @param updatedAt when the row last changed
 * @param startedAt when a worker first claimed it
 * @param finishedAt when it reached a terminal state
 * @param rescues how often it was taken back from a worker that stopped renewing its lease
 * @param expiredAt when retention removed its result, checkpoint and events, or null
 */
public record Job(
    UUID id,
    String owner,
    JobState state,
    int priority,
    int attempt,
    int maxAttempts,
    Instant runAt,
    UUID modelId,
    UUID datasetId,
    String spec,
    UUID leaseToken,
    Instant leaseExpiresAt,
    String workerId,
    Instant heartbeatAt,
    Instant cancelRequestedAt,
    Integer checkpointLayers,
    String checkpointBlob,
    String progress,
    String resultBlob,
    String report,
    String lastError,
    String idempotencyKey,
    String requestHash,
    Instant createdAt,
    Instant updatedAt,
    Instant startedAt,
    Instant finishedAt,
    int rescues,
    Instant expiredAt) {}
