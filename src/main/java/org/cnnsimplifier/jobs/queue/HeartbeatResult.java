package org.cnnsimplifier.jobs.queue;

/**
 * The answer to a heartbeat.
 *
 * @param owned false when the job is no longer this worker's: it must stop at once and write
 *     nothing more
 * @param cancelRequested the owner asked to cancel: the worker should stop at the next batch and
 *     call {@link JobQueue#cancelled}
 */
public record HeartbeatResult(boolean owned, boolean cancelRequested) {

  static final HeartbeatResult LOST = new HeartbeatResult(false, false);
}
