package org.cnnsimplifier.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import javax.sql.DataSource;
import org.cnnsimplifier.jobs.queue.Job;
import org.cnnsimplifier.jobs.queue.JobEvent;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.cnnsimplifier.jobs.queue.JobState;
import org.cnnsimplifier.jobs.queue.Lease;
import org.cnnsimplifier.jobs.queue.NewJob;
import org.cnnsimplifier.jobs.queue.QueueProperties;
import org.cnnsimplifier.storage.BlobStore;
import org.cnnsimplifier.support.LearnableFixtures;
import org.cnnsimplifier.support.ServiceTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The in-process worker on H2 and on real PostgreSQL, driven over HTTP: a running job stops at its
 * next batch when cancelled; an attempt that fails after its first layer's checkpoint is retried
 * and resumes there; a data set that does not fit its model fails the job at once, without retries;
 * a model whose output is not a softmax retrains without the default distillation.
 *
 * <p>The context has a test-only queue no other test class shares, so it is closed afterwards.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "cnn.security.api-keys=alice:alice-key",
      "cnn.workers.poll-interval=200ms",
      "cnn.workers.heartbeat=1s",
      "cnn.workers.lease=20s",
      "cnn.workers.retry-backoff=1s"
    })
@Import(WorkerIntegrationTest.Faults.class)
abstract class WorkerIntegrationTest extends ServiceTest {
  private static final ObjectMapper JSON = JsonMapper.builder().build();
  private static final String OWNER = "alice";
  @Autowired JobQueue queue;
  @Autowired FlakyQueue flaky;
  @Autowired BlobStore blobs;
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * The queue every bean uses, able to fail once as a database outage would: when armed, the
   * worker's record of a job's second layer starting (right after the first layer's checkpoint) is
   * refused with a transient data access error.
   */
  static class FlakyQueue extends JobQueue {
    final AtomicBoolean failAtSecondLayer = new AtomicBoolean();

    FlakyQueue(
        JdbcClient jdbc,
        TransactionTemplate transactions,
        DataSource dataSource,
        Clock clock,
        QueueProperties properties) {
      super(jdbc, transactions, dataSource, clock, properties);
    }

    @Override
    public boolean appendEvent(Lease lease, String type, String payloadJson) {
      if ("layer_started".equals(type)
          && JSON.readTree(payloadJson).path("index").asInt() == 1
          && failAtSecondLayer.compareAndSet(true, false)) {
        throw new TransientDataAccessResourceException("simulated: the database went away");
      }
      return super.appendEvent(lease, type, payloadJson);
    }
  }

  @TestConfiguration
  static class Faults {
    @Bean
    @Primary
    FlakyQueue flakyQueue(
        JdbcClient jdbc,
        TransactionTemplate transactions,
        DataSource dataSource,
        Clock clock,
        QueueProperties properties) {
      return new FlakyQueue(jdbc, transactions, dataSource, clock, properties);
    }
  }

  @BeforeEach
  void emptyQueue() {
    flaky.failAtSecondLayer.set(false);
    deleteJobs();
  }

  @Test
  void cancellingARunningJobStopsItsWorkerWithinSeconds(@TempDir Path tmp) throws Exception {
    String model = upload("/api/v1/models?name=tiny.zip", LearnableFixtures.modelZip(tmp));
    String dataset =
        upload("/api/v1/datasets?name=shapes.zip", LearnableFixtures.datasetZip(30, 1));
    // 1000 epochs per layer: far longer than the test waits, so it is running when cancelled.
    UUID id = createJob(spec(model, dataset, 1000));
    awaitEvent(id, "layer_started", Duration.ofSeconds(60));

    HttpResponse<String> cancel = post("/api/v1/jobs/" + id + "/cancel");
    long asked = System.nanoTime();

    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    assertThat(JSON.readTree(cancel.body()).path("cancelRequested").asBoolean()).isTrue();
    Job cancelled = awaitJob(id, job -> job.state().isTerminal(), Duration.ofSeconds(30));
    Duration stoppedAfter = Duration.ofNanos(System.nanoTime() - asked);
    assertThat(cancelled.state()).isEqualTo(JobState.CANCELLED);
    assertThat(stoppedAfter).isLessThan(Duration.ofSeconds(10));
    assertThat(cancelled.attempt()).isEqualTo(1);
    assertThat(cancelled.finishedAt()).isNotNull();
    assertThat(cancelled.resultBlob()).isNull();
    assertThat(cancelled.leaseToken()).isNull();
    List<String> types = types(id);
    assertThat(types).startsWith("queued", "started", "layer_started").endsWith("cancelled");
    assertThat(types).contains("cancel_requested").doesNotContain("step", "succeeded", "failed");
    assertThat(post("/api/v1/jobs/" + id + "/cancel").statusCode()).isEqualTo(409);

    // The worker is free again: the next job runs to its end.
    UUID next = createJob(spec(model, dataset, 0));
    assertThat(awaitJob(next, job -> job.state().isTerminal(), Duration.ofSeconds(60)).state())
        .isEqualTo(JobState.SUCCEEDED);
  }

  @Test
  void failedAttemptIsRetriedAndResumesAfterItsLastCheckpoint(@TempDir Path tmp) throws Exception {
    String model = upload("/api/v1/models?name=tiny.zip", LearnableFixtures.modelZip(tmp));
    String dataset =
        upload("/api/v1/datasets?name=shapes.zip", LearnableFixtures.datasetZip(20, 1));
    String spec = spec(model, dataset, 1);
    UUID reference = createJob(spec);
    Job uninterrupted =
        awaitJob(reference, job -> job.state().isTerminal(), Duration.ofSeconds(60));
    assertThat(uninterrupted.state()).isEqualTo(JobState.SUCCEEDED);

    flaky.failAtSecondLayer.set(true);
    UUID id = createJob(spec);
    Job resumed = awaitJob(id, job -> job.state().isTerminal(), Duration.ofSeconds(60));

    assertThat(flaky.failAtSecondLayer).as("the fault was injected").isFalse();
    assertThat(resumed.state()).as(resumed.lastError()).isEqualTo(JobState.SUCCEEDED);
    assertThat(resumed.attempt()).isEqualTo(2);
    assertThat(resumed.lastError()).contains("simulated: the database went away");
    List<JobEvent> events = queue.events(OWNER, id, 0, 1000);
    assertThat(events.stream().map(JobEvent::type).toList())
        .containsSubsequence(
            "started",
            "layer_started",
            "step",
            "retrying",
            "started",
            "resumed_from_checkpoint",
            "layer_started",
            "step",
            "succeeded");
    // The event is written in the transaction that moved the job to RETRY_WAIT.
    JsonNode retrying = payload(events, "retrying");
    assertThat(retrying.path("attempt").asInt()).isEqualTo(1);
    assertThat(retrying.path("delayMs").asLong()).isEqualTo(1000);
    assertThat(retrying.path("error").asString()).contains("simulated");
    JobEvent failedAt = events.stream().filter(e -> e.type().equals("retrying")).findFirst().get();
    JobEvent retriedAt = events.stream().filter(e -> e.type().equals("started")).toList().get(1);
    assertThat(JSON.readTree(retriedAt.payload()).path("attempt").asInt()).isEqualTo(2);
    assertThat(Duration.between(failedAt.createdAt(), retriedAt.createdAt()))
        .as("the retry waits out its backoff")
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertThat(payload(events, "resumed_from_checkpoint").path("layersDone").asInt()).isEqualTo(1);

    // No layer was done twice: one step per layer, as in the uninterrupted run, with its result.
    List<JsonNode> steps = steps(id);
    List<JsonNode> referenceSteps = steps(reference);
    assertThat(stepsPerLayer(steps)).isEqualTo(stepsPerLayer(referenceSteps));
    assertThat(stepsPerLayer(steps)).isEqualTo(Map.of("conv1", 1L, "conv2", 1L));
    assertThat(
            events.stream()
                .filter(e -> e.type().equals("layer_started"))
                .map(e -> JSON.readTree(e.payload()).path("layer").asString())
                .toList())
        .containsExactly("conv1", "conv2");
    for (int i = 0; i < steps.size(); i++) {
      assertThat(steps.get(i).path("removedKernels"))
          .isEqualTo(referenceSteps.get(i).path("removedKernels"));
      assertThat(steps.get(i).path("paramsAfter"))
          .isEqualTo(referenceSteps.get(i).path("paramsAfter"));
    }
    JsonNode report = JSON.readTree(resumed.report());
    assertThat(report.path("steps")).hasSize(2);
    assertThat(report.path("simplified").path("params"))
        .isEqualTo(JSON.readTree(uninterrupted.report()).path("simplified").path("params"));
    assertThat(JSON.readTree(resumed.progress()).path("percent").asDouble()).isEqualTo(100.0);
    assertThat(blobs.exists(resumed.resultBlob())).isTrue();
    // The checkpoints were the job's to delete once it succeeded: blob first, then the column.
    String checkpoint = resumed.checkpointBlob();
    Job released = awaitJob(id, job -> job.checkpointBlob() == null, Duration.ofSeconds(10));
    assertThat(released.checkpointLayers()).isNull();
    if (checkpoint != null) {
      assertThat(blobs.exists(checkpoint)).isFalse();
    }
  }

  @Test
  void dataSetThatDoesNotFitFailsTheJobAtOnceWithoutRetries(@TempDir Path tmp) throws Exception {
    String model = upload("/api/v1/models?name=tiny.zip", LearnableFixtures.modelZip(tmp));
    String twoClasses =
        upload(
            "/api/v1/datasets?name=ab.zip", withoutClass(LearnableFixtures.datasetZip(10, 1), "c"));
    // Validation would refuse this job with a 400, so it is queued behind the API's back.
    Job queued =
        queue
            .enqueue(
                new NewJob(
                    OWNER,
                    0,
                    3,
                    UUID.fromString(model),
                    UUID.fromString(twoClasses),
                    spec(model, twoClasses, 1),
                    null,
                    null))
            .job();

    Job failed = awaitJob(queued.id(), job -> job.state().isTerminal(), Duration.ofSeconds(60));

    assertThat(failed.state()).isEqualTo(JobState.FAILED);
    assertThat(failed.attempt()).isEqualTo(1);
    assertThat(failed.lastError())
        .contains("the model has 3 output classes but the data set has 2 [a, b]");
    assertThat(types(queued.id())).containsExactly("queued", "started", "failed");
    assertThat(payload(queue.events(OWNER, queued.id(), 0, 100), "failed").path("error").asString())
        .isEqualTo(failed.lastError());
  }

  @Test
  void aModelWhoseOutputIsNotASoftmaxRetrainsWithoutTheDefaultDistillation(@TempDir Path tmp)
      throws Exception {
    String model =
        upload(
            "/api/v1/models?name=sigmoid.zip",
            LearnableFixtures.modelZip(
                tmp,
                org.nd4j.linalg.activations.Activation.SIGMOID,
                org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction.XENT));
    String dataset =
        upload("/api/v1/datasets?name=shapes.zip", LearnableFixtures.datasetZip(10, 1));
    // No distillation named: the default applies to softmax outputs only.
    UUID id =
        createJob(
            """
            {"modelId":"%s","datasetId":"%s","criterion":"L1","policy":{"type":"ratio","ratio":0.5},
             "retraining":{"budget":{"batches":6},"batchSize":10},"seed":7}"""
                .formatted(model, dataset));

    Job done = awaitJob(id, job -> job.state().isTerminal(), Duration.ofSeconds(120));

    assertThat(done.state()).as("%s", done.lastError()).isEqualTo(JobState.SUCCEEDED);
    assertThat(types(id)).contains("step");
  }

  private static String spec(String model, String dataset, int epochs) {
    return """
        {"modelId":"%s","datasetId":"%s","criterion":"L1","strategy":"PROGRESSIVE",
         "policy":{"type":"ratio","ratio":0.5},
         "retraining":{"epochs":%d,"batchSize":10,"learningRate":0.01},"seed":7}"""
        .formatted(model, dataset, epochs);
  }

  /** The same zip of class folders without one class's folder. */
  private static byte[] withoutClass(byte[] zip, String className) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip));
        ZipOutputStream kept = new ZipOutputStream(out)) {
      for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
        if (!entry.getName().contains("/" + className + "/")) {
          kept.putNextEntry(new ZipEntry(entry.getName()));
          in.transferTo(kept);
          kept.closeEntry();
        }
      }
    }
    return out.toByteArray();
  }

  private Job awaitJob(UUID id, Predicate<Job> done, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Job job = find(id);
    while (!done.test(job)) {
      assertThat(System.nanoTime())
          .as("job %s still %s after %s; events %s", id, job.state(), timeout, types(id))
          .isLessThan(deadline);
      Thread.sleep(50);
      job = find(id);
    }
    return job;
  }

  private Job find(UUID id) {
    return queue
        .find(OWNER, id)
        .orElseThrow(
            () ->
                new AssertionError(
                    "job "
                        + id
                        + " was deleted while the test waited: does another test run share"
                        + " this database?"));
  }

  private void awaitEvent(UUID id, String type, Duration timeout) throws InterruptedException {
    awaitJob(id, job -> types(id).contains(type) || job.state().isTerminal(), timeout);
    assertThat(types(id)).contains(type);
  }

  private List<String> types(UUID id) {
    return queue.events(OWNER, id, 0, 1000).stream().map(JobEvent::type).toList();
  }

  private static JsonNode payload(List<JobEvent> events, String type) {
    return JSON.readTree(
        events.stream().filter(e -> e.type().equals(type)).findFirst().orElseThrow().payload());
  }

  private List<JsonNode> steps(UUID id) {
    return queue.events(OWNER, id, 0, 1000).stream()
        .filter(e -> e.type().equals("step"))
        .map(e -> JSON.readTree(e.payload()))
        .toList();
  }

  private static Map<String, Long> stepsPerLayer(List<JsonNode> steps) {
    return steps.stream()
        .collect(Collectors.groupingBy(s -> s.path("layer").asString(), Collectors.counting()));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
        .timeout(Duration.ofMinutes(1))
        .header("X-API-Key", "alice-key");
  }

  private HttpResponse<String> post(String path) throws Exception {
    return http.send(
        request(path).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String upload(String path, byte[] body) throws Exception {
    HttpResponse<String> response =
        http.send(
            request(path)
                .header("Content-Type", "application/zip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body()).get("id").asString();
  }

  private UUID createJob(String spec) throws Exception {
    HttpResponse<String> response =
        http.send(
            request("/api/v1/jobs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(spec))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return UUID.fromString(JSON.readTree(response.body()).get("id").asString());
  }
}
