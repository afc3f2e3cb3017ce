package org.cnnsimplifier.jobs.queue;

import java.util.UUID;

/**
 * What a worker holds while it runs a job. Every write the worker makes carries {@code token}; once
 * the job was taken from it (rescued after a lost lease, cancelled, finished) the token no longer
 * matches and the write changes nothing.
 *
 * @param jobId the job
 * @param token the fencing token set by the claim
 * @param attempt the attempt this lease belongs to (1 for the first)
 * @param workerId the worker that claimed it
 */
public record Lease(UUID jobId, UUID token, int attempt, String workerId) {}
