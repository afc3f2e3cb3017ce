package org.cnnsimplifier.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.cnnsimplifier.jobs.queue.FinishedJobs;
import org.cnnsimplifier.jobs.queue.Job;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.cnnsimplifier.storage.BlobStore;
import org.cnnsimplifier.system.ApiException;
import org.springframework.stereotype.Component;

/**
 * The blobs a job leaves: its last checkpoint and review material (working files, gone once the job
 * ends), and its result (kept until the job is deleted or retired by retention). Rows go first,
 * then the blobs they named, so no row ever names a deleted blob; a blob left behind by a failure
 * is only wasted space.
 */
@Component
public class JobBlobs {

  private final JobQueue queue;
  private final FinishedJobs finished;
  private final ReviewStore reviews;
  private final BlobStore blobs;

  JobBlobs(JobQueue queue, FinishedJobs finished, ReviewStore reviews, BlobStore blobs) {
    this.queue = queue;
    this.finished = finished;
    this.reviews = reviews;
    this.blobs = blobs;
  }

  /** If the job has ended, deletes its checkpoint and review blobs. */
  public void releaseIfEnded(String owner, UUID id) {
    queue.find(owner, id).filter(job -> job.state().isTerminal()).ifPresent(this::release);
  }

  /** Deletes the working blobs of a job that has ended (its result stays). */
  void release(Job job) {
    if (job.checkpointBlob() != null && finished.clearCheckpoint(job.id())) {
      deleteUnlessResult(job.checkpointBlob(), job);
    }
    reviews.remove(job.id()).ifPresent(key -> deleteUnlessResult(key, job));
  }

  /**
   * Deletes an ended job of the owner with its events, result, checkpoint and review.
   *
   * @throws ApiException 404 when the owner has no such job, 409 while it has not ended
   */
  void delete(String owner, UUID id) {
    Job job = queue.find(owner, id).orElseThrow(() -> ApiException.notFound("job", id));
    if (!job.state().isTerminal()) {
      throw notEnded(job);
    }
    List<String> keys = keys(job);
    reviews.find(id).ifPresent(review -> keys.add(review.blobKey()));
    if (!finished.delete(owner, id)) {
      throw notEnded(queue.find(owner, id).orElseThrow(() -> ApiException.notFound("job", id)));
    }
    keys.forEach(blobs::deleteQuietly);
  }

  /** Retires an ended job: its result, checkpoint, review and events go; the row stays. */
  void expire(Job job) {
    List<String> keys = keys(job);
    reviews.remove(job.id()).ifPresent(keys::add);
    if (finished.expire(job.id())) {
      keys.forEach(blobs::deleteQuietly);
    }
  }

  private static List<String> keys(Job job) {
    List<String> keys = new ArrayList<>();
    if (job.resultBlob() != null) {
      keys.add(job.resultBlob());
    }
    if (job.checkpointBlob() != null && !job.checkpointBlob().equals(job.resultBlob())) {
      keys.add(job.checkpointBlob());
    }
    return keys;
  }

  private static ApiException notEnded(Job job) {
    return ApiException.conflict(
        "job "
            + job.id()
            + " is "
            + job.state()
            + "; only a job that has ended can be deleted: cancel it first");
  }

  private void deleteUnlessResult(String key, Job job) {
    if (!key.equals(job.resultBlob())) {
      blobs.deleteQuietly(key);
    }
  }
}
