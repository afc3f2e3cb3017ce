package org.cnnsimplifier.jobs;

import java.util.UUID;
import org.cnnsimplifier.jobs.queue.Job;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.cnnsimplifier.storage.BlobStore;
import org.springframework.stereotype.Component;

/**
 * Deletes the working blobs of a job that has ended: its last checkpoint and its review material.
 * Its result, if any, stays.
 */
@Component
public class JobBlobs {

  private final JobQueue queue;
  private final ReviewStore reviews;
  private final BlobStore blobs;

  JobBlobs(JobQueue queue, ReviewStore reviews, BlobStore blobs) {
    this.queue = queue;
    this.reviews = reviews;
    this.blobs = blobs;
  }

  /** If the job has ended, deletes its checkpoint and review blobs. */
  public void releaseIfEnded(String owner, UUID id) {
    queue
        .find(owner, id)
        .filter(job -> job.state().isTerminal())
        .ifPresent(
            job -> {
              delete(job.checkpointBlob(), job);
              reviews.find(id).ifPresent(review -> delete(review.blobKey(), job));
            });
  }

  private void delete(String key, Job job) {
    if (key != null && !key.equals(job.resultBlob())) {
      blobs.deleteQuietly(key);
    }
  }
}
