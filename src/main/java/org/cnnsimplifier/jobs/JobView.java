package org.cnnsimplifier.jobs;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;
import org.cnnsimplifier.jobs.queue.Job;
import org.cnnsimplifier.jobs.queue.JobState;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * A job as the API shows it: state, progress (current layer, percent, ETA and the per-layer results
 * so far) and where to find its events, result and report.
 */
@Schema(description = "A simplification job and its progress")
public record JobView(
    UUID id,
    JobState state,
    int priority,
    int attempt,
    int maxAttempts,
    @Schema(description = "Times a worker died (or lost the database) while running it")
        int rescues,
    UUID modelId,
    UUID datasetId,
    JsonNode spec,
    @Schema(
            description =
                "currentLayer, layersDone, layers, percent (of the job's budget in batches, or of"
                    + " its layers), etaSeconds, training (layer, batchesDone, batchesPlanned,"
                    + " jobBatchesDone, jobBatchesPlanned), steps so far")
        JsonNode progress,
    String lastError,
    boolean cancelRequested,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt,
    @Schema(description = "When retention deleted its result (cnn.retention.results), or null")
        Instant expiredAt,
    Links links) {

  /** Where the job's streams and downloads are. */
  public record Links(String self, String events, String result, String report) {}

  static JobView of(Job job, ObjectMapper json) {
    String self = "/api/v1/jobs/" + job.id();
    boolean done = job.state() == JobState.SUCCEEDED && job.expiredAt() == null;
    return new JobView(
        job.id(),
        job.state(),
        job.priority(),
        job.attempt(),
        job.maxAttempts(),
        job.rescues(),
        job.modelId(),
        job.datasetId(),
        json.readTree(job.spec()),
        job.progress() == null ? null : json.readTree(job.progress()),
        job.lastError(),
        job.cancelRequestedAt() != null,
        job.createdAt(),
        job.startedAt(),
        job.finishedAt(),
        job.expiredAt(),
        new Links(
            self,
            self + "/events",
            done ? self + "/result" : null,
            done ? self + "/report" : null));
  }
}
