package org.cnnsimplifier.workers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.cnnsimplifier.engine.Checkpoint;
import org.cnnsimplifier.engine.Checkpoints;
import org.cnnsimplifier.engine.KernelReview;
import org.cnnsimplifier.engine.ProgressListener;
import org.cnnsimplifier.engine.ReviewPendingException;
import org.cnnsimplifier.engine.SimplificationResult;
import org.cnnsimplifier.engine.Simplifier;
import org.cnnsimplifier.engine.TempFiles;
import org.cnnsimplifier.engine.data.DatasetOptions;
import org.cnnsimplifier.engine.data.ImageDataset;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.report.StepEvent;
import org.cnnsimplifier.engine.report.TargetReport;
import org.cnnsimplifier.engine.retrain.CancelledException;
import org.cnnsimplifier.engine.retrain.Trainer;
import org.cnnsimplifier.jobs.JobBlobs;
import org.cnnsimplifier.jobs.JobPlans;
import org.cnnsimplifier.jobs.JobSpec;
import org.cnnsimplifier.jobs.ReviewStore;
import org.cnnsimplifier.jobs.queue.ClaimedJob;
import org.cnnsimplifier.jobs.queue.Heartbeats;
import org.cnnsimplifier.jobs.queue.Job;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.cnnsimplifier.jobs.queue.Lease;
import org.cnnsimplifier.storage.BlobStore;
import org.cnnsimplifier.system.ScratchSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import tools.jackson.databind.ObjectMapper;

/**
 * One claimed job, run to its end: the engine's {@link Simplifier} with this object as its progress
 * listener (events, progress, checkpoints — every write fenced by the lease) and a {@link
 * LeaseKeeper} as its cancellation (the owner cancelled, the lease was lost, or the process is
 * shutting down).
 */
final class JobExecution implements ProgressListener {
  private static final Logger log = LoggerFactory.getLogger(JobExecution.class);

  private final Job job;
  private final Lease lease;
  private final Services services;
  private final Instant started;
  private final List<StepEvent> steps = new ArrayList<>();
  private final LeaseKeeper keeper;
  private String checkpointBlob;
  private int layersDone;
  private int layers;
  private String currentLayer;
  private String trainingLayer;
  private long trainingDone;
  private long trainingPlanned;
  private long runDone;
  private long runPlanned;
  private long lastTrainingProgress;

  /** What an execution needs from the process. */
  record Services(
      JobQueue queue,
      Heartbeats heartbeats,
      BlobStore blobs,
      JobInputs inputs,
      ObjectMapper json,
      Clock clock,
      Duration lease,
      Duration heartbeat,
      Path workDir,
      ScheduledExecutorService timer,
      WorkerMetrics metrics,
      ReviewStore reviews,
      JobBlobs jobBlobs) {}

  JobExecution(ClaimedJob claimed, Services services) {
    this.job = claimed.job();
    this.lease = claimed.lease();
    this.services = services;
    this.started = services.clock().instant();
    this.checkpointBlob = job.checkpointBlob();
    this.layersDone = job.checkpointLayers() == null ? 0 : job.checkpointLayers();
    this.keeper =
        new LeaseKeeper(
            job,
            lease,
            services.queue(),
            services.heartbeats(),
            services.clock(),
            services.lease(),
            services.heartbeat(),
            services.timer());
  }

  /** Asks the job to stop at the next batch and hand itself back to the queue. */
  void requestShutdown() {
    keeper.shutDown();
  }

  void run() {
    MDC.put("job", "job=" + job.id());
    Path work = null;
    ScratchSpace.Claim claim = null;
    try {
      work = Files.createDirectories(services.workDir()).resolve("job-" + job.id());
      // Held while the job runs: if this process is killed, the next sweep deletes the folder.
      claim = ScratchSpace.claim(work);
      execute(work);
    } catch (CancelledException e) {
      stopped();
    } catch (Exception | OutOfMemoryError e) {
      if (Failures.isPermanent(e)) {
        // Another attempt would meet the same inputs and fail the same way.
        log.info("job failed for good: {}", e.toString());
        services.queue().failPermanently(lease, Failures.describe(e));
      } else {
        log.error("job attempt {} failed", lease.attempt(), e);
        services.queue().fail(lease, Failures.describe(e));
      }
    } finally {
      // A job that ended here (failed, cancelled) keeps no checkpoint or review behind.
      services.jobBlobs().releaseIfEnded(job.owner(), job.id());
      keeper.close();
      try {
        TempFiles.deleteRecursively(work);
      } catch (IOException e) {
        log.warn("could not delete {}: {}", work, e.getMessage());
      } finally {
        if (claim != null) {
          claim.close();
        }
      }
      MDC.remove("job");
    }
  }

  private void execute(Path work) throws IOException {
    JobSpec spec = services.json().readValue(job.spec(), JobSpec.class);
    CnnModel model = services.inputs().loadModel(job.owner(), job.modelId());
    SimplificationPlan plan = JobPlans.toPlan(spec);
    if (spec.retraining().distillation() == null && !Trainer.canDistil(model)) {
      // Distillation is a default, not a request: a model whose output is not a softmax retrains
      // on its own loss.
      plan = plan.withRetraining(plan.retraining().withDistillation(null));
    }
    // The splits (validation, test or held-out) are the data set's, fixed at upload; the catalog
    // opens it with them whatever the job says.
    DatasetOptions options =
        DatasetOptions.defaults().withWorkDir(work).withPreprocessing(model.preprocessing());
    if (spec.adapt()) {
      options = options.adaptTo(model.inputShape());
    }
    try (ImageDataset data = services.inputs().openDataset(job.owner(), job.datasetId(), options)) {
      data.checkFits(model);
      layers = Simplifier.layersOf(model, plan).size();
      Simplifier simplifier = new Simplifier();
      KernelReview review = review(spec);
      SimplificationResult result;
      try {
        if (checkpointBlob != null) {
          Path file = work.resolve("checkpoint.zip");
          services.blobs().copyTo(checkpointBlob, file);
          Checkpoint checkpoint = Checkpoints.read(file);
          steps.addAll(checkpoint.steps());
          event("resumed_from_checkpoint", Map.of("layersDone", checkpoint.layersDone()));
          result =
              Simplifier.measureSpeed(
                  model, simplifier.resume(checkpoint, data, plan, this, keeper, review));
        } else {
          result = simplifier.run(model, data, plan, this, keeper, review);
        }
      } catch (ReviewPendingException pending) {
        awaitSelection(pending.request(), spec, data, work);
        return;
      }
      keeper.check();
      Path out = work.resolve("result.zip");
      ModelFiles.write(result.model(), out);
      String key = services.blobs().put(out);
      String report = ResultReport.json(result, services.json());
      if (!services.queue().succeed(lease, key, report)) {
        services.blobs().delete(key);
        log.warn("job was taken away before its result was stored; result discarded");
      } else {
        services.metrics().jobFinished(started, services.clock().instant());
      }
    }
  }

  /** The person's choices so far decide; a layer without one pauses the run. */
  private static KernelReview review(JobSpec spec) {
    if (!spec.review()) {
      return KernelReview.NONE;
    }
    return request ->
        java.util.Optional.ofNullable(spec.selections().get(request.layer()))
            .map(choice -> new KernelReview.Decision(choice.kernels(), choice.decidedBy()));
  }

  /** Stores what a person needs to choose, then frees the worker while the job waits. */
  private void awaitSelection(
      KernelReview.Request request, JobSpec spec, ImageDataset data, Path work) throws IOException {
    byte[] material =
        ReviewMaterial.zip(
            request,
            data,
            data.classes(),
            spec.reviewSamplesPerClass(),
            spec.seed(),
            spec.suggestionCriterion() + ", " + JobPlans.toPlan(spec).policy().describe(),
            services.json());
    Path file = work.resolve("review.zip");
    Files.write(file, material);
    String key = services.blobs().put(file);
    ReviewStore.Saved saved = services.reviews().save(lease, request.layer(), key);
    if (!saved.saved()) {
      services.blobs().delete(key);
      keeper.lost();
      return;
    }
    saved.replacedBlob().ifPresent(services.blobs()::deleteQuietly);
    currentLayer = request.layer();
    progress();
    if (services.queue().awaitSelection(lease)) {
      log.info("waiting for a choice of kernels in layer {}", request.layer());
    }
  }

  /** The run stopped on request: say why to the queue. */
  private void stopped() {
    if (keeper.isLost()) {
      log.warn("lease lost: another worker owns this job now; stopping");
    } else if (keeper.isCancelled()) {
      services.queue().cancelled(lease);
      log.info("cancelled by its owner");
    } else if (keeper.isShuttingDown()) {
      services.queue().handBack(lease);
      log.info("handed back at shutdown, resumable from layer {}", layersDone);
    }
  }

  @Override
  public void onLayerStarted(String layer, int index, int total) {
    currentLayer = layer;
    layers = total;
    event("layer_started", Map.of("layer", layer, "index", index, "layers", total));
    progress();
  }

  @Override
  public void onTraining(String layer, long done, long planned, long runDone, long runPlanned) {
    trainingLayer = layer;
    trainingDone = done;
    trainingPlanned = planned;
    this.runDone = runDone;
    this.runPlanned = runPlanned;
    long now = System.nanoTime();
    // At most one progress record a second, and the end of every stage.
    if (done == planned || now - lastTrainingProgress > 1_000_000_000L) {
      lastTrainingProgress = now;
      progress();
    }
  }

  @Override
  public void onStep(StepEvent step) {
    steps.add(step);
    event("step", step);
    progress();
  }

  @Override
  public void onTargetAllocated(TargetReport target) {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("ratios", target.ratios());
    payload.put("predictedParams", target.predictedParams());
    payload.put("predictedFlops", target.predictedFlops());
    payload.put("seconds", target.seconds());
    event("target_allocated", payload);
  }

  @Override
  public void onCheckpoint(Checkpoint checkpoint) {
    try {
      Path file = services.workDir().resolve("job-" + job.id()).resolve("checkpoint-new.zip");
      Checkpoints.write(checkpoint, file);
      String key = services.blobs().put(file);
      if (services.queue().saveCheckpoint(lease, checkpoint.layersDone(), key)) {
        services.blobs().deleteQuietly(checkpointBlob);
        checkpointBlob = key;
        layersDone = checkpoint.layersDone();
        progress();
      } else {
        services.blobs().delete(key);
        keeper.lost();
      }
    } catch (IOException e) {
      // Losing a checkpoint costs at most a layer on retry; the run itself goes on.
      log.warn("checkpoint not stored: {}", e.getMessage());
    }
  }

  private void progress() {
    double seconds = Duration.between(started, services.clock().instant()).toMillis() / 1000.0;
    Map<String, Object> progress = new LinkedHashMap<>();
    progress.put("currentLayer", currentLayer);
    progress.put("layersDone", layersDone);
    progress.put("layers", layers);
    double share =
        runPlanned > 0
            ? Math.min(1.0, (double) runDone / runPlanned)
            : layers == 0 ? 0 : (double) layersDone / layers;
    progress.put("percent", Math.round(1000.0 * share) / 10.0);
    if (trainingLayer != null) {
      Map<String, Object> training = new LinkedHashMap<>();
      training.put("layer", trainingLayer);
      training.put("batchesDone", trainingDone);
      training.put("batchesPlanned", trainingPlanned);
      training.put("jobBatchesDone", runDone);
      training.put("jobBatchesPlanned", runPlanned > 0 ? runPlanned : null);
      progress.put("training", training);
    }
    int doneHere = layersDone - (job.checkpointLayers() == null ? 0 : job.checkpointLayers());
    progress.put(
        "etaSeconds",
        doneHere <= 0 ? null : Math.round(seconds / doneHere * (layers - layersDone)));
    progress.put("steps", steps);
    if (!services.queue().recordProgress(lease, services.json().writeValueAsString(progress))) {
      keeper.lost();
    }
  }

  private void event(String type, Object payload) {
    if (!services.queue().appendEvent(lease, type, services.json().writeValueAsString(payload))) {
      keeper.lost();
    }
  }
}
