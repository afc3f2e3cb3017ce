package org.cnnsimplifier.jobs.queue;

/**
 * The outcome of {@link JobQueue#requestCancel}.
 *
 * @param outcome what happened
 * @param state the job's state afterwards, or null when not found
 */
public record CancelResult(Outcome outcome, JobState state) {

  /** What a cancel request did. */
  public enum Outcome {
    /** No such job for this owner. */
    NOT_FOUND,
    /** The job was not running and is now CANCELLED. */
    CANCELLED,
    /** The job is running; its worker stops at its next heartbeat or batch. */
    CANCEL_REQUESTED,
    /** The job had already finished ({@code state} says how); nothing changed. */
    ALREADY_FINISHED
  }

  static final CancelResult NOT_FOUND_RESULT = new CancelResult(Outcome.NOT_FOUND, null);
}
