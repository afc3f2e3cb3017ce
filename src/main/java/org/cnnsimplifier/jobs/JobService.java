package org.cnnsimplifier.jobs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.cnnsimplifier.catalog.Catalog;
import org.cnnsimplifier.catalog.StoredDataset;
import org.cnnsimplifier.catalog.StoredModel;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.jobs.queue.EnqueueResult;
import org.cnnsimplifier.jobs.queue.IdempotencyConflictException;
import org.cnnsimplifier.jobs.queue.Job;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.cnnsimplifier.jobs.queue.NewJob;
import org.cnnsimplifier.jobs.queue.QueueProperties;
import org.cnnsimplifier.system.ApiException;
import org.cnnsimplifier.system.Owner;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.ObjectMapper;

/** Creating jobs: the spec is checked against its model and data set, then queued. */
@Service
public class JobService {
  private final JobQueue queue;
  private final Catalog catalog;
  private final ObjectMapper json;
  private final QueueProperties queueProperties;

  JobService(JobQueue queue, Catalog catalog, ObjectMapper json, QueueProperties queueProperties) {
    this.queue = queue;
    this.catalog = catalog;
    this.json = json;
    this.queueProperties = queueProperties;
  }

  /**
   * Queues a job, or returns the one created earlier with the same idempotency key and body.
   *
   * @throws ApiException 400 naming the fields that do not fit, 409 when the key was used with
   *     another body
   */
  public EnqueueResult create(Owner owner, JobSpec request, String idempotencyKey) {
    JobSpec spec = request.withoutSelections().withDefaultAttempts(queueProperties.maxAttempts());
    SimplificationPlan plan = JobPlans.toPlan(spec);
    Optional<StoredModel> model = catalog.findModel(owner, spec.modelId());
    Optional<StoredDataset> dataset = catalog.findDataset(owner, spec.datasetId());
    if (model.isEmpty() || dataset.isEmpty()) {
      Map<String, String> errors = new java.util.LinkedHashMap<>();
      model.ifPresentOrElse(m -> {}, () -> errors.put("modelId", "no model " + spec.modelId()));
      dataset.ifPresentOrElse(
          d -> {}, () -> errors.put("datasetId", "no data set " + spec.datasetId()));
      throw ApiException.badRequest("the job names uploads that do not exist", errors);
    }
    Map<String, String> errors = JobValidation.errors(spec, plan, model.get(), dataset.get());
    if (!errors.isEmpty()) {
      throw ApiException.badRequest("the job does not fit its model and data set", errors);
    }
    String specJson = json.writeValueAsString(spec);
    try {
      return queue.enqueue(
          new NewJob(
              owner.name(),
              spec.priority(),
              spec.maxAttempts(),
              spec.modelId(),
              spec.datasetId(),
              specJson,
              idempotencyKey,
              idempotencyKey == null ? null : sha256(specJson)));
    } catch (DataIntegrityViolationException e) {
      // The model or data set was deleted between the check above and the insert: the foreign
      // key refused the job, so no job can ever run without its inputs.
      Map<String, String> gone = new java.util.LinkedHashMap<>();
      if (catalog.findModel(owner, spec.modelId()).isEmpty()) {
        gone.put("modelId", "no model " + spec.modelId() + " (it was just deleted)");
      }
      if (catalog.findDataset(owner, spec.datasetId()).isEmpty()) {
        gone.put("datasetId", "no data set " + spec.datasetId() + " (it was just deleted)");
      }
      if (gone.isEmpty()) {
        throw e;
      }
      throw ApiException.badRequest("the job names uploads that do not exist", gone);
    } catch (IdempotencyConflictException e) {
      throw ApiException.conflict(
          "the Idempotency-Key was already used for job "
              + e.existingJobId()
              + " with a different request body");
    }
  }

  public Job find(Owner owner, UUID id) {
    return queue.find(owner.name(), id).orElseThrow(() -> ApiException.notFound("job", id));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
