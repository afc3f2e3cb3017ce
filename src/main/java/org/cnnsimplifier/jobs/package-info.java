/**
 * Simplification jobs: the REST API (create with validation against the model and data set, follow
 * by Server-Sent Events or polling, cancel, download result and report). The queue itself is in
 * {@code jobs.queue}. Uses the catalog, the queue, storage and system.
 */
package org.cnnsimplifier.jobs;
