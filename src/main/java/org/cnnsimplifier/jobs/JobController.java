package org.cnnsimplifier.jobs;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.cnnsimplifier.catalog.ModelDownloads;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.jobs.queue.CancelResult;
import org.cnnsimplifier.jobs.queue.EnqueueResult;
import org.cnnsimplifier.jobs.queue.Job;
import org.cnnsimplifier.jobs.queue.JobEvent;
import org.cnnsimplifier.jobs.queue.JobPage;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.cnnsimplifier.jobs.queue.JobState;
import org.cnnsimplifier.storage.BlobStore;
import org.cnnsimplifier.system.ApiException;
import org.cnnsimplifier.system.Owner;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Simplification jobs: create, list, follow, cancel, and download their results. */
@RestController
@RequestMapping("/api/v1/jobs")
@Tag(name = "Jobs", description = "Simplification jobs and their progress")
class JobController {
  private final JobService jobs;
  private final JobQueue queue;
  private final JobEventStreams streams;
  private final BlobStore blobs;
  private final JobBlobs jobBlobs;
  private final ObjectMapper json;
  private final ModelDownloads downloads;

  JobController(
      JobService jobs,
      JobQueue queue,
      JobEventStreams streams,
      BlobStore blobs,
      JobBlobs jobBlobs,
      ObjectMapper json,
      ModelDownloads downloads) {
    this.jobs = jobs;
    this.queue = queue;
    this.streams = streams;
    this.blobs = blobs;
    this.jobBlobs = jobBlobs;
    this.json = json;
    this.downloads = downloads;
  }

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Create a simplification job",
      description =
          "Checks the job against its model and data set (400 naming the fields that do not fit)"
              + " and queues it. With an Idempotency-Key, repeating the same request returns the"
              + " same job; the same key with another body is a 409.")
  @ApiResponse(responseCode = "202", description = "Queued; Location names the job")
  @ApiResponse(
      responseCode = "400",
      description = "The job does not fit its model or data set",
      content =
          @Content(
              mediaType = "application/problem+json",
              examples =
                  @ExampleObject(
                      value =
                          """
                          {"type":"about:blank","title":"Bad Request","status":400,
                           "detail":"the job does not fit its model and data set",
                           "errors":{"layers[0]":"no layer 'conv9'; prunable layers: [layer0, layer2]"}}""")))
  @ApiResponse(responseCode = "409", description = "Idempotency-Key reused with another body")
  ResponseEntity<JobView> create(
      Owner owner,
      @Valid @RequestBody JobSpec spec,
      @Parameter(description = "Makes retries of this request safe")
          @RequestHeader(name = "Idempotency-Key", required = false)
          String idempotencyKey) {
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
      throw ApiException.badRequest("Idempotency-Key must be 1 to 200 characters");
    }
    EnqueueResult result = jobs.create(owner, spec, idempotencyKey);
    return ResponseEntity.status(HttpStatus.ACCEPTED)
        .location(URI.create("/api/v1/jobs/" + result.job().id()))
        .header("Idempotent-Replayed", Boolean.toString(!result.created()))
        .body(JobView.of(result.job(), json));
  }

  /** A page of jobs. */
  record JobList(List<JobView> items, int page, int size, long total) {}

  @GetMapping
  @Operation(summary = "List your jobs, newest first, optionally by state")
  JobList list(
      Owner owner,
      @RequestParam Optional<JobState> state,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    if (page < 0 || size < 1 || size > 200) {
      throw ApiException.badRequest("page must be >= 0 and size in 1..200");
    }
    JobPage jobPage = queue.list(owner.name(), state, page, size);
    return new JobList(
        jobPage.items().stream().map(job -> JobView.of(job, json)).toList(),
        jobPage.page(),
        jobPage.size(),
        jobPage.total());
  }

  @GetMapping("/{id}")
  @Operation(summary = "A job: state, current layer, percent done, ETA, per-layer results so far")
  JobView get(Owner owner, @PathVariable UUID id) {
    return JobView.of(jobs.find(owner, id), json);
  }

  @PostMapping("/{id}/cancel")
  @Operation(
      summary = "Cancel a job",
      description =
          "A queued or waiting job is cancelled at once (200); a running one stops at its next"
              + " batch (202); a finished one cannot be cancelled (409).")
  ResponseEntity<JobView> cancel(Owner owner, @PathVariable UUID id) {
    CancelResult result = queue.requestCancel(id, owner.name());
    return switch (result.outcome()) {
      case NOT_FOUND -> throw ApiException.notFound("job", id);
      case ALREADY_FINISHED ->
          throw ApiException.conflict("job " + id + " already ended " + result.state());
      case CANCELLED -> {
        jobBlobs.releaseIfEnded(owner.name(), id);
        yield ResponseEntity.ok(JobView.of(jobs.find(owner, id), json));
      }
      case CANCEL_REQUESTED ->
          ResponseEntity.accepted().body(JobView.of(jobs.find(owner, id), json));
    };
  }

  @DeleteMapping("/{id}")
  @Operation(
      summary = "Delete a job that has ended",
      description =
          "Deletes the job with its events, result, checkpoint and review material. A job that"
              + " has not ended cannot be deleted (409): cancel it first.")
  @ApiResponse(responseCode = "204", description = "Deleted")
  @ApiResponse(responseCode = "404", description = "No such job of yours")
  @ApiResponse(responseCode = "409", description = "The job has not ended")
  ResponseEntity<Void> delete(Owner owner, @PathVariable UUID id) {
    jobBlobs.delete(owner.name(), id);
    return ResponseEntity.noContent().build();
  }

  @GetMapping(value = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(
      summary = "Follow a job's events (Server-Sent Events)",
      description =
          "Replays the events after Last-Event-ID (or ?after=) and then follows new ones; the"
              + " stream ends after the job's final event. Event names: queued, started,"
              + " layer_started, step, succeeded, failed, retrying, cancelled, …")
  SseEmitter stream(
      Owner owner,
      @PathVariable UUID id,
      @RequestHeader(name = "Last-Event-ID", required = false) Long lastEventId,
      @RequestParam Optional<Long> after) {
    jobs.find(owner, id);
    long from = lastEventId != null ? lastEventId : after.orElse(0L);
    return streams.open(owner.name(), id, from);
  }

  /** An event for pollers. */
  record EventView(long id, String type, JsonNode payload, java.time.Instant createdAt) {}

  @GetMapping(value = "/{id}/events", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "A job's events after ?after=N (for pollers)")
  List<EventView> events(
      Owner owner,
      @PathVariable UUID id,
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "100") int limit) {
    jobs.find(owner, id);
    if (limit < 1 || limit > 1000) {
      throw ApiException.badRequest("limit must be in 1..1000");
    }
    List<JobEvent> events = queue.events(owner.name(), id, after, limit);
    return events.stream()
        .map(e -> new EventView(e.id(), e.type(), json.readTree(e.payload()), e.createdAt()))
        .toList();
  }

  @GetMapping("/{id}/result")
  @Operation(
      summary = "Download the simplified model",
      description =
          "In the format the model was uploaded in (a Keras upload comes back as Keras HDF5, an"
              + " ONNX upload as ONNX), or in the one asked for: format=dl4j (always possible),"
              + " keras or onnx. The report's exportFormats say which formats this model can be"
              + " written in.")
  @ApiResponse(
      responseCode = "200",
      description =
          "The file: application/zip (DL4J), application/x-hdf5 (Keras) or"
              + " application/octet-stream (ONNX)",
      content = {
        @Content(
            mediaType = "application/zip",
            schema = @Schema(type = "string", format = "binary")),
        @Content(
            mediaType = "application/x-hdf5",
            schema = @Schema(type = "string", format = "binary")),
        @Content(
            mediaType = "application/octet-stream",
            schema = @Schema(type = "string", format = "binary"))
      })
  @ApiResponse(responseCode = "400", description = "Unknown format")
  @ApiResponse(responseCode = "409", description = "The job has not succeeded (yet)")
  @ApiResponse(
      responseCode = "422",
      description = "The model has a layer the format has no counterpart for (named)")
  ResponseEntity<InputStreamResource> result(
      Owner owner,
      @PathVariable UUID id,
      @Parameter(description = "dl4j, keras or onnx; default: the format the model came in")
          @RequestParam(required = false)
          String format) {
    ModelFormat requested = ModelDownloads.format(format);
    Job job = succeeded(owner, id);
    if (job.expiredAt() != null) {
      throw new ApiException(
          HttpStatus.GONE,
          "the result of job "
              + id
              + " was deleted on "
              + job.expiredAt()
              + ", when it was older than cnn.retention.results; run the job again");
    }
    return downloads.resultZip(
        file -> blobs.copyTo(job.resultBlob(), file), requested, "simplified-" + id);
  }

  @GetMapping(value = "/{id}/report", produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "The job's report",
      description =
          "Per layer: kernels before/after, params, FLOPs, accuracy and loss after elimination"
              + " and after retraining, seconds, batches trained and plannedBatches (a final"
              + " fine-tune is the step of layer \"*\"); totals; batchesTrained and budget"
              + " (budgetBatches, batchesPerEpoch, split, layerBatches, batchesPerStage for the"
              + " legacy epochs, fineTuneBatches); the original model's figures; and"
              + " `speed`: the original and the simplified model's inference latency at batch 1"
              + " (`latencyMillis`, median) and throughput at batch 64 (`imagesPerSecond`),"
              + " measured on the worker that ran the job, on the same threads, interleaved,"
              + " with `latencySpeedUp`, `throughputSpeedUp` and the `flopReduction` beside them"
              + " (`threads`, `throughputBatch`, `latencyRuns`, `throughputRuns` say how)."
              + " Every"
              + " accuracy names its split and image count; 'headline' is the test (or held-out)"
              + " accuracy, which no selection looked at; 'splits' lists which images each kind of"
              + " figure used.")
  @ApiResponse(
      responseCode = "200",
      content =
          @Content(
              schema = @Schema(implementation = ReportSchema.class),
              examples = @ExampleObject(ReportSchema.EXAMPLE)))
  JsonNode report(Owner owner, @PathVariable UUID id) {
    return json.readTree(succeeded(owner, id).report());
  }

  private Job succeeded(Owner owner, UUID id) {
    Job job = jobs.find(owner, id);
    if (job.state() != JobState.SUCCEEDED) {
      throw ApiException.conflict("job " + id + " is " + job.state() + "; it has no result yet");
    }
    return job;
  }
}
