package org.cnnsimplifier.jobs.queue;

/**
 * A job a worker has just claimed, with the lease it must present on every write.
 *
 * @param job the row as it was right after the claim (state RUNNING; checkpoint of an earlier
 *     attempt, if any, to resume from)
 * @param lease the lease
 */
public record ClaimedJob(Job job, Lease lease) {}
