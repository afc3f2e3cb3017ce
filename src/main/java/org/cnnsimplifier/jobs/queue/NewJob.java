package org.cnnsimplifier.jobs.queue;

import java.util.Objects;
import java.util.UUID;

/**
 * A job to queue.
 *
 * @param owner who it belongs to
 * @param priority higher runs first; equal priorities run oldest first
 * @param maxAttempts attempts allowed, at least 1 (usually {@link QueueProperties#maxAttempts()})
 * @param modelId the model to simplify
 * @param datasetId the data set to use
 * @param spec the validated specification, JSON
 * @param idempotencyKey the client's {@code Idempotency-Key}, or null
 * @param requestHash a hash of the request body, compared when the key is seen again; may be null
 */
public record NewJob(
    String owner,
    int priority,
    int maxAttempts,
    UUID modelId,
    UUID datasetId,
    String spec,
    String idempotencyKey,
    String requestHash) {

  public NewJob {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(modelId, "modelId");
    Objects.requireNonNull(datasetId, "datasetId");
    Objects.requireNonNull(spec, "spec");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
  }
}
