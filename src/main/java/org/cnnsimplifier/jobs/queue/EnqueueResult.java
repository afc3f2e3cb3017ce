package org.cnnsimplifier.jobs.queue;

/**
 * The outcome of {@link JobQueue#enqueue}.
 *
 * @param job the job, new or the one an earlier request with the same idempotency key created
 * @param created false when an earlier request's job was returned
 */
public record EnqueueResult(Job job, boolean created) {}
