/**
 * The job queue on the database: the {@link org.cnnsimplifier.jobs.queue.JobState} machine, enqueue
 * with idempotency keys, claim ({@code FOR UPDATE SKIP LOCKED} on PostgreSQL, compare and set on
 * embedded H2), leases renewed by heartbeats, a fencing token on every write of a worker, rescue of
 * lapsed leases, retries with backoff, cancellation, pauses for a person's selection, and the job
 * events that progress streams read.
 *
 * <p>Entry point: {@link org.cnnsimplifier.jobs.queue.JobQueue}. Knows nothing of HTTP, the engine
 * or blobs (checkpoints and results are blob keys it stores); uses Spring JDBC and transactions
 * only. The REST API and the worker loop build on it.
 */
package org.cnnsimplifier.jobs.queue;
