package org.cnnsimplifier.jobs.queue;

import java.util.UUID;

/** An idempotency key was used again with a different request. The web layer answers 409. */
public class IdempotencyConflictException extends RuntimeException {
  private final UUID existingJobId;

  IdempotencyConflictException(String key, UUID existingJobId) {
    super(
        "Idempotency-Key '"
            + key
            + "' was already used with a different request (job "
            + existingJobId
            + ")");
    this.existingJobId = existingJobId;
  }

  /** The job the key was first used for. */
  public UUID existingJobId() {
    return existingJobId;
  }
}
