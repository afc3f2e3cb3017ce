/**
 * Workers: claim a job from the queue, run the engine's Simplifier on it with every write fenced by
 * the lease, store checkpoints and the result, hand the job back on shutdown. Uses jobs, storage
 * and the engine; the catalog supplies inputs through {@link org.cnnsimplifier.workers.JobInputs}.
 */
package org.cnnsimplifier.workers;
