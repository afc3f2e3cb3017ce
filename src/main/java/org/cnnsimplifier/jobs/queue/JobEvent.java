package org.cnnsimplifier.jobs.queue;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code job_event}: something that happened to a job. Ids grow with every event and
 * serve as Server-Sent Events ids.
 *
 * @param id the event's id
 * @param jobId the job
 * @param type what happened: one of the constants below, or a worker's own type
 * @param payload details, JSON
 * @param createdAt when (application clock)
 */
public record JobEvent(long id, UUID jobId, String type, String payload, Instant createdAt) {
  /** Queued by its owner. Payload: {@code priority}. */
  public static final String QUEUED = "queued";

  /** Claimed by a worker. Payload: {@code attempt}, {@code worker}. */
  public static final String STARTED = "started";

  /** Finished with a result. Payload: {@code attempt}. */
  public static final String SUCCEEDED = "succeeded";

  /** Failed for good. Payload: {@code attempt}, {@code error}. */
  public static final String FAILED = "failed";

  /**
   * An attempt failed; will run again. Payload: {@code attempt}, {@code error}, {@code delayMs}.
   */
  public static final String RETRYING = "retrying";

  /** Cancelled. Payload: {@code attempt} when a worker stopped it. */
  public static final String CANCELLED = "cancelled";

  /** Its owner asked to cancel it while it ran. */
  public static final String CANCEL_REQUESTED = "cancel_requested";

  /** Its worker's lease lapsed; queued again. Payload: {@code attempt}, {@code worker}. */
  public static final String RESCUED = "rescued";

  /** Its worker shut down and gave it back to the queue. Payload: {@code worker}. */
  public static final String HANDED_BACK = "handed_back";

  /** Paused until a person chooses kernels. */
  public static final String AWAITING_SELECTION = "awaiting_selection";

  /** The selection arrived; queued again. */
  public static final String RESUMED = "resumed";

  /** Whether this event ends the job's stream: nothing of the job follows it. */
  public boolean isTerminal() {
    return SUCCEEDED.equals(type) || FAILED.equals(type) || CANCELLED.equals(type);
  }
}
