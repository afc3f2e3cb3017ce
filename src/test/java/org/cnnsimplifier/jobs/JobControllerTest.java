package org.cnnsimplifier.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnnsimplifier.jobs.JobFixtures.ALICE;
import static org.cnnsimplifier.jobs.JobFixtures.BOB;
import static org.cnnsimplifier.jobs.JobFixtures.job;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.cnnsimplifier.catalog.Catalog;
import org.cnnsimplifier.jobs.queue.CancelResult;
import org.cnnsimplifier.jobs.queue.EnqueueResult;
import org.cnnsimplifier.jobs.queue.IdempotencyConflictException;
import org.cnnsimplifier.jobs.queue.Job;
import org.cnnsimplifier.jobs.queue.JobEvent;
import org.cnnsimplifier.jobs.queue.JobPage;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.cnnsimplifier.jobs.queue.JobState;
import org.cnnsimplifier.jobs.queue.NewJob;
import org.cnnsimplifier.storage.BlobStore;
import org.cnnsimplifier.system.SecurityProperties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * The jobs API in a web slice: the real controller, job service, spec validation, problem details,
 * owner resolution and API key filter; the queue, catalog, event streams and blob store mocked.
 */
@WebMvcTest(controllers = JobController.class, properties = "cnn.security.api-keys=alice:ka,bob:kb")
@Import({JobService.class, JobControllerTest.Slice.class})
class JobControllerTest {
  private static final UUID MODEL_ID = UUID.fromString("7b0c7a1e-2c2b-4a55-9d52-0b0e6f7d9a10");
  private static final UUID DATASET_ID = UUID.fromString("0f6c2a64-3b0c-4f3e-9a53-6c7e2b7d1c22");
  private static final String VALID =
      """
      {"modelId":"%s","datasetId":"%s","layers":["conv1","conv2"],"criterion":"L1",
       "policy":{"type":"ratio","ratio":0.5},"retraining":{"epochs":2,"batchSize":16},"seed":7}"""
          .formatted(MODEL_ID, DATASET_ID);

  @TestConfiguration
  @EnableConfigurationProperties({
    SecurityProperties.class,
    org.cnnsimplifier.jobs.queue.QueueProperties.class
  })
  @Import(org.cnnsimplifier.system.ApiSecurityForTests.class)
  static class Slice {}

  @Autowired MockMvcTester mvc;
  @MockitoBean JobQueue queue;
  @MockitoBean Catalog catalog;
  @MockitoBean JobEventStreams streams;
  @MockitoBean BlobStore blobs;
  @MockitoBean JobBlobs jobBlobs;
  @MockitoBean org.cnnsimplifier.catalog.ModelDownloads downloads;

  private final UUID jobId = UUID.randomUUID();

  @BeforeEach
  void aliceHasTheModelAndDataSet() {
    when(catalog.findModel(any(), any())).thenReturn(Optional.empty());
    when(catalog.findDataset(any(), any())).thenReturn(Optional.empty());
    when(catalog.findModel(ALICE, MODEL_ID)).thenReturn(Optional.of(JobFixtures.model(MODEL_ID)));
    when(catalog.findDataset(ALICE, DATASET_ID))
        .thenReturn(Optional.of(JobFixtures.fittingDataset(DATASET_ID)));
    when(queue.find(anyString(), any())).thenReturn(Optional.empty());
  }

  private MvcTestResult post(String body, String idempotencyKey) {
    var request =
        mvc.post()
            .uri("/api/v1/jobs")
            .header("X-API-Key", "ka")
            .contentType(MediaType.APPLICATION_JSON)
            .content(body);
    if (idempotencyKey != null) {
      request = request.header("Idempotency-Key", idempotencyKey);
    }
    return request.exchange();
  }

  private MvcTestResult get(String path, String key) {
    return mvc.get().uri(path).header("X-API-Key", key).exchange();
  }

  private void aliceOwns(Job job) {
    when(queue.find(ALICE.name(), job.id())).thenReturn(Optional.of(job));
  }

  static void assertProblem(MvcTestResult result, HttpStatus status, String detailPart) {
    assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status.value());
    assertThat(JsonMapper.builder().build().readTree(body(result)).path("detail").asString())
        .contains(detailPart);
  }

  static String body(MvcTestResult result) {
    try {
      return result.getResponse().getContentAsString(StandardCharsets.UTF_8);
    } catch (java.io.UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- POST /api/v1/jobs

  @Test
  void aModelDeletedWhileItsJobIsCreatedIsA400NotAJobThatFailsLater() {
    // The catalog saw the model, then the insert met the foreign key: the model was just deleted.
    when(catalog.findModel(ALICE, MODEL_ID))
        .thenReturn(Optional.of(JobFixtures.model(MODEL_ID)))
        .thenReturn(Optional.empty());
    when(queue.enqueue(any()))
        .thenThrow(
            new org.springframework.dao.DataIntegrityViolationException("violates job_model"));

    MvcTestResult result = post(VALID, null);

    assertProblem(result, HttpStatus.BAD_REQUEST, "uploads that do not exist");
    assertThat(body(result)).contains("it was just deleted");
  }

  @Test
  void queuesAValidJobWith202LocationAndTheJob() {
    Job queued = job(jobId, JobState.QUEUED);
    when(queue.enqueue(any())).thenReturn(new EnqueueResult(queued, true));

    MvcTestResult result = post(VALID, "key-1");

    assertThat(result).hasStatus(HttpStatus.ACCEPTED);
    assertThat(result.getResponse().getHeader(HttpHeaders.LOCATION))
        .isEqualTo("/api/v1/jobs/" + jobId);
    assertThat(result.getResponse().getHeader("Idempotent-Replayed")).isEqualTo("false");
    assertThat(result).bodyJson().extractingPath("$.id").isEqualTo(jobId.toString());
    assertThat(result).bodyJson().extractingPath("$.state").isEqualTo("QUEUED");
    assertThat(result).bodyJson().extractingPath("$.spec.policy.ratio").isEqualTo(0.5);
    assertThat(result)
        .bodyJson()
        .extractingPath("$.links.events")
        .isEqualTo("/api/v1/jobs/" + jobId + "/events");
    assertThat(result).bodyJson().extractingPath("$.links.result").isNull();

    ArgumentCaptor<NewJob> request = ArgumentCaptor.forClass(NewJob.class);
    verify(queue).enqueue(request.capture());
    NewJob sent = request.getValue();
    assertThat(sent.owner()).isEqualTo("alice");
    assertThat(sent.modelId()).isEqualTo(MODEL_ID);
    assertThat(sent.datasetId()).isEqualTo(DATASET_ID);
    assertThat(sent.maxAttempts()).isEqualTo(3);
    assertThat(sent.idempotencyKey()).isEqualTo("key-1");
    assertThat(sent.requestHash()).matches("[0-9a-f]{64}");
    // The stored spec carries the defaults, so a worker reads exactly what was validated.
    var spec = JsonMapper.builder().build().readTree(sent.spec());
    assertThat(spec.path("strategy").asString()).isEqualTo("PROGRESSIVE");
    assertThat(spec.path("retraining").path("epochs").asInt()).isEqualTo(2);
    assertThat(spec.path("retraining").path("learningRate").asDouble()).isEqualTo(1e-3);
    assertThat(spec.path("seed").asLong()).isEqualTo(7);
  }

  @Test
  void sameKeyAndBodyHashAlikeAndAReplayIsMarked() {
    when(queue.enqueue(any()))
        .thenReturn(new EnqueueResult(job(jobId, JobState.QUEUED), true))
        .thenReturn(new EnqueueResult(job(jobId, JobState.QUEUED), false));
    // The same job written differently: other field order, defaults spelled out.
    String sameJob =
        """
        {"seed":7,"datasetId":"%s","modelId":"%s","layers":["conv1","conv2"],"criterion":"L1",
         "strategy":"PROGRESSIVE","policy":{"ratio":0.5,"type":"ratio"},
         "retraining":{"epochs":2,"batchSize":16,"learningRate":0.001}}"""
            .formatted(DATASET_ID, MODEL_ID);

    MvcTestResult first = post(VALID, "key-1");
    MvcTestResult again = post(sameJob, "key-1");

    assertThat(first).hasStatus(HttpStatus.ACCEPTED);
    assertThat(again).hasStatus(HttpStatus.ACCEPTED);
    assertThat(again.getResponse().getHeader("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again).bodyJson().extractingPath("$.id").isEqualTo(jobId.toString());
    ArgumentCaptor<NewJob> requests = ArgumentCaptor.forClass(NewJob.class);
    verify(queue, org.mockito.Mockito.times(2)).enqueue(requests.capture());
    assertThat(requests.getAllValues().get(1).requestHash())
        .isEqualTo(requests.getAllValues().get(0).requestHash());
  }

  @Test
  void answers409WhenTheIdempotencyKeyWasUsedWithAnotherBody() {
    UUID earlier = UUID.randomUUID();
    IdempotencyConflictException conflict = mock(IdempotencyConflictException.class);
    when(conflict.existingJobId()).thenReturn(earlier);
    when(queue.enqueue(any())).thenThrow(conflict);

    MvcTestResult result = post(VALID, "key-1");

    assertProblem(result, HttpStatus.CONFLICT, "already used for job " + earlier);
  }

  @Test
  void refusesAnIdempotencyKeyLongerThan200Characters() {
    MvcTestResult tooLong = post(VALID, "k".repeat(201));
    MvcTestResult blank = post(VALID, " ");

    assertProblem(tooLong, HttpStatus.BAD_REQUEST, "Idempotency-Key must be 1 to 200 characters");
    assertProblem(blank, HttpStatus.BAD_REQUEST, "Idempotency-Key must be 1 to 200 characters");
    verify(queue, never()).enqueue(any());
  }

  @Test
  void acceptsAnIdempotencyKeyOfExactly200Characters() {
    when(queue.enqueue(any())).thenReturn(new EnqueueResult(job(jobId, JobState.QUEUED), true));

    assertThat(post(VALID, "k".repeat(200))).hasStatus(HttpStatus.ACCEPTED);
  }

  @Test
  void namesAMissingModelId() {
    MvcTestResult result = post(VALID.replace("\"modelId\":\"" + MODEL_ID + "\",", ""), null);

    assertProblem(result, HttpStatus.BAD_REQUEST, "the request has invalid fields");
    assertThat(result).bodyJson().extractingPath("$.errors.modelId").isNotNull();
    verify(queue, never()).enqueue(any());
  }

  @Test
  void namesAMissingPolicyType() {
    MvcTestResult result = post(VALID.replace("\"type\":\"ratio\",", ""), null);

    assertProblem(result, HttpStatus.BAD_REQUEST, "invalid fields");
    assertThat(result).bodyJson().extractingPath("$.errors['policy.type']").isNotNull();
  }

  @Test
  void namesAnUnknownPolicyType() {
    MvcTestResult result = post(VALID.replace("\"type\":\"ratio\"", "\"type\":\"random\""), null);

    assertProblem(result, HttpStatus.BAD_REQUEST, "the job specification is not valid");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors['policy.type']")
        .isEqualTo("must be one of ratio, threshold, maxAccuracyDrop, manual, target");
    verify(queue, never()).enqueue(any());
  }

  @Test
  void namesARatioOutOfRange() {
    MvcTestResult result = post(VALID.replace("\"ratio\":0.5", "\"ratio\":1.5"), null);

    assertProblem(result, HttpStatus.BAD_REQUEST, "not valid");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors.policy")
        .asString()
        .contains("ratio must be in [0, 1), got 1.5");
  }

  @Test
  void namesNegativeEpochsAndOtherOutOfRangeNumbers() {
    MvcTestResult result =
        post(
            VALID
                .replace("\"epochs\":2", "\"epochs\":-1")
                .replace("\"seed\":7", "\"seed\":7,\"priority\":5000,\"validationFraction\":0.95"),
            null);

    assertProblem(result, HttpStatus.BAD_REQUEST, "invalid fields");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors")
        .asMap()
        .containsKeys("retraining.epochs", "priority", "validationFraction");
  }

  @Test
  void refusesAValidationFractionThatIsNotTheDataSetsWith400NamingTheField() {
    // The data set was uploaded with validationFraction 0.1.
    MvcTestResult result =
        post(VALID.replace("\"seed\":7", "\"seed\":7,\"validationFraction\":0.2"), null);

    assertProblem(result, HttpStatus.BAD_REQUEST, "the job does not fit its model and data set");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors.validationFraction")
        .asString()
        .contains("set at data-set upload");
    verify(queue, never()).enqueue(any());
  }

  @Test
  void refusesMalformedJson() {
    MvcTestResult result = post("{\"modelId\": ", null);

    assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
    assertThat(result).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(400);
  }

  @Test
  void namesAnUnknownCriterion() {
    MvcTestResult result = post(VALID.replace("\"L1\"", "\"L7\""), null);

    assertProblem(result, HttpStatus.BAD_REQUEST, "the job specification is not valid");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors.criterion")
        .asString()
        .contains("got 'L7'");
    verify(queue, never()).enqueue(any());
  }

  @Test
  void refusesAnUnknownStrategyAsUnreadable() {
    MvcTestResult result =
        post(VALID.replace("\"seed\":7", "\"seed\":7,\"strategy\":\"RANDOM\""), null);

    assertThat(result).hasStatus(HttpStatus.BAD_REQUEST);
    assertThat(result).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    verify(queue, never()).enqueue(any());
  }

  @Test
  void refusesABodyThatIsNotJsonWith415() {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/jobs")
            .header("X-API-Key", "ka")
            .contentType(MediaType.TEXT_PLAIN)
            .content("hello")
            .exchange();

    assertThat(result).hasStatus(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
    assertThat(result).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  @Test
  void namesAnUnknownModelAndDataSet() {
    String other =
        VALID
            .replace(MODEL_ID.toString(), UUID.randomUUID().toString())
            .replace(DATASET_ID.toString(), UUID.randomUUID().toString());

    MvcTestResult result = post(other, null);

    assertProblem(result, HttpStatus.BAD_REQUEST, "the job names uploads that do not exist");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors.modelId")
        .asString()
        .startsWith("no model");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors.datasetId")
        .asString()
        .startsWith("no data set");
    verify(queue, never()).enqueue(any());
  }

  @Test
  void anotherOwnersModelIsUnknownToo() {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/jobs")
            .header("X-API-Key", "kb")
            .contentType(MediaType.APPLICATION_JSON)
            .content(VALID)
            .exchange();

    assertProblem(result, HttpStatus.BAD_REQUEST, "do not exist");
    verify(catalog).findModel(BOB, MODEL_ID);
    verify(queue, never()).enqueue(any());
  }

  @Test
  void namesTheLayersThatDoNotFitTheModel() {
    MvcTestResult result = post(VALID.replace("\"conv2\"", "\"dense\""), null);

    assertProblem(result, HttpStatus.BAD_REQUEST, "the job does not fit its model and data set");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors['layers[1]']")
        .asString()
        .startsWith("layer 'dense' cannot be simplified");
    verify(queue, never()).enqueue(any());
  }

  // --- GET /api/v1/jobs

  @Test
  void listsTheOwnersJobsByStateWithPaging() {
    Job running = job(jobId, JobState.RUNNING);
    when(queue.list("alice", Optional.of(JobState.RUNNING), 2, 5))
        .thenReturn(new JobPage(List.of(running), 2, 5, 11));

    MvcTestResult result = get("/api/v1/jobs?state=RUNNING&page=2&size=5", "ka");

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.items[0].id").isEqualTo(jobId.toString());
    assertThat(result).bodyJson().extractingPath("$.items[0].state").isEqualTo("RUNNING");
    assertThat(result).bodyJson().extractingPath("$.page").isEqualTo(2);
    assertThat(result).bodyJson().extractingPath("$.size").isEqualTo(5);
    assertThat(result).bodyJson().extractingPath("$.total").isEqualTo(11);
  }

  @Test
  void listsAllStatesOnTheFirstPageByDefault() {
    when(queue.list("bob", Optional.empty(), 0, 20)).thenReturn(new JobPage(List.of(), 0, 20, 0));

    MvcTestResult result = get("/api/v1/jobs", "kb");

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.items").asArray().isEmpty();
    verify(queue).list("bob", Optional.empty(), 0, 20);
  }

  @Test
  void refusesBadPagingAndUnknownStates() {
    assertProblem(get("/api/v1/jobs?size=0", "ka"), HttpStatus.BAD_REQUEST, "size in 1..200");
    assertProblem(get("/api/v1/jobs?size=201", "ka"), HttpStatus.BAD_REQUEST, "size in 1..200");
    assertProblem(get("/api/v1/jobs?page=-1", "ka"), HttpStatus.BAD_REQUEST, "page must be >= 0");
    MvcTestResult badState = get("/api/v1/jobs?state=SLEEPING", "ka");
    assertThat(badState)
        .hasStatus(HttpStatus.BAD_REQUEST)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    verify(queue, never()).list(anyString(), any(), anyInt(), anyInt());
  }

  // --- GET /api/v1/jobs/{id}

  @Test
  void answersAJobWithItsProgress() {
    aliceOwns(
        job(
            jobId,
            JobState.RUNNING,
            "{\"currentLayer\":\"conv2\",\"layersDone\":1,\"layers\":2,\"percent\":50.0}",
            null,
            null));

    MvcTestResult result = get("/api/v1/jobs/" + jobId, "ka");

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.state").isEqualTo("RUNNING");
    assertThat(result).bodyJson().extractingPath("$.progress.currentLayer").isEqualTo("conv2");
    assertThat(result).bodyJson().extractingPath("$.progress.percent").isEqualTo(50.0);
    assertThat(result).bodyJson().extractingPath("$.cancelRequested").isEqualTo(false);
  }

  @Test
  void anotherOwnersJobIsNotFound() {
    aliceOwns(job(jobId, JobState.RUNNING));

    MvcTestResult result = get("/api/v1/jobs/" + jobId, "kb");

    assertProblem(result, HttpStatus.NOT_FOUND, "job " + jobId + " does not exist");
    verify(queue).find("bob", jobId);
  }

  @Test
  void refusesAnIdThatIsNotAUuid() {
    MvcTestResult result = get("/api/v1/jobs/not-a-uuid", "ka");

    assertThat(result)
        .hasStatus(HttpStatus.BAD_REQUEST)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
  }

  // --- POST /api/v1/jobs/{id}/cancel

  private MvcTestResult cancel(String key) {
    return mvc.post().uri("/api/v1/jobs/" + jobId + "/cancel").header("X-API-Key", key).exchange();
  }

  @Test
  void cancelsAQueuedJobAtOnceWith200() {
    when(queue.requestCancel(jobId, "alice"))
        .thenReturn(new CancelResult(CancelResult.Outcome.CANCELLED, JobState.CANCELLED));
    aliceOwns(job(jobId, JobState.CANCELLED));

    MvcTestResult result = cancel("ka");

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.state").isEqualTo("CANCELLED");
  }

  @Test
  void asksARunningJobToStopWith202() {
    when(queue.requestCancel(jobId, "alice"))
        .thenReturn(new CancelResult(CancelResult.Outcome.CANCEL_REQUESTED, JobState.RUNNING));
    Job running = job(jobId, JobState.RUNNING);
    aliceOwns(withCancelRequested(running));

    MvcTestResult result = cancel("ka");

    assertThat(result).hasStatus(HttpStatus.ACCEPTED);
    assertThat(result).bodyJson().extractingPath("$.state").isEqualTo("RUNNING");
    assertThat(result).bodyJson().extractingPath("$.cancelRequested").isEqualTo(true);
  }

  @Test
  void refusesToCancelAFinishedJobWith409() {
    when(queue.requestCancel(jobId, "alice"))
        .thenReturn(new CancelResult(CancelResult.Outcome.ALREADY_FINISHED, JobState.SUCCEEDED));

    assertProblem(cancel("ka"), HttpStatus.CONFLICT, "already ended SUCCEEDED");
  }

  @Test
  void cancellingAnotherOwnersJobIsNotFound() {
    when(queue.requestCancel(jobId, "bob"))
        .thenReturn(new CancelResult(CancelResult.Outcome.NOT_FOUND, null));

    assertProblem(cancel("kb"), HttpStatus.NOT_FOUND, "job " + jobId + " does not exist");
  }

  // --- GET /api/v1/jobs/{id}/events

  @Test
  void pollersGetEventsAfterAnIdAsJson() {
    aliceOwns(job(jobId, JobState.RUNNING));
    Instant at = Instant.parse("2025-02-01T08:00:05Z");
    when(queue.events("alice", jobId, 3, 2))
        .thenReturn(
            List.of(
                new JobEvent(4, jobId, "layer_started", "{\"layer\":\"conv1\",\"index\":0}", at),
                new JobEvent(5, jobId, "step", "{\"layer\":\"conv1\",\"kernelsAfter\":3}", at)));

    MvcTestResult result =
        mvc.get()
            .uri("/api/v1/jobs/" + jobId + "/events?after=3&limit=2")
            .header("X-API-Key", "ka")
            .accept(MediaType.APPLICATION_JSON)
            .exchange();

    assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
    assertThat(result).bodyJson().extractingPath("$[0].id").isEqualTo(4);
    assertThat(result).bodyJson().extractingPath("$[0].type").isEqualTo("layer_started");
    assertThat(result).bodyJson().extractingPath("$[0].payload.layer").isEqualTo("conv1");
    assertThat(result).bodyJson().extractingPath("$[1].payload.kernelsAfter").isEqualTo(3);
    assertThat(result).bodyJson().extractingPath("$[1].createdAt").isEqualTo(at.toString());
  }

  @Test
  void refusesAnEventLimitOutOfRange() {
    aliceOwns(job(jobId, JobState.RUNNING));

    for (String limit : List.of("0", "1001")) {
      MvcTestResult result =
          mvc.get()
              .uri("/api/v1/jobs/" + jobId + "/events?limit=" + limit)
              .header("X-API-Key", "ka")
              .accept(MediaType.APPLICATION_JSON)
              .exchange();
      assertProblem(result, HttpStatus.BAD_REQUEST, "limit must be in 1..1000");
    }
    verify(queue, never()).events(anyString(), any(), anyLong(), anyInt());
  }

  @Test
  void eventsOfAnotherOwnersJobAreNotFound() {
    aliceOwns(job(jobId, JobState.RUNNING));

    MvcTestResult polled =
        mvc.get()
            .uri("/api/v1/jobs/" + jobId + "/events")
            .header("X-API-Key", "kb")
            .accept(MediaType.APPLICATION_JSON)
            .exchange();
    MvcTestResult streamed =
        mvc.get()
            .uri("/api/v1/jobs/" + jobId + "/events")
            .header("X-API-Key", "kb")
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange();

    assertProblem(polled, HttpStatus.NOT_FOUND, "does not exist");
    assertThat(streamed).hasStatus(HttpStatus.NOT_FOUND);
    verify(queue, never()).events(anyString(), any(), anyLong(), anyInt());
    verifyNoInteractions(streams);
  }

  @Test
  void streamsEventsReplayingFromLastEventId() throws IOException {
    aliceOwns(job(jobId, JobState.SUCCEEDED));
    SseEmitter emitter = new SseEmitter();
    emitter.send(
        SseEmitter.event()
            .id("8")
            .name("succeeded")
            .data("{\"attempt\":1}", MediaType.APPLICATION_JSON));
    emitter.complete();
    when(streams.open("alice", jobId, 7)).thenReturn(emitter);

    MvcTestResult result =
        mvc.get()
            .uri("/api/v1/jobs/" + jobId + "/events?after=2")
            .header("X-API-Key", "ka")
            .header("Last-Event-ID", "7")
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange();

    assertThat(result).hasStatusOk();
    assertThat(result.getResponse().getContentType()).startsWith("text/event-stream");
    assertThat(result.getResponse().getContentAsString())
        .contains("id:8", "event:succeeded", "data:{\"attempt\":1}");
    verify(streams).open("alice", jobId, 7);
  }

  @Test
  void streamsFromTheAfterParameterWithoutLastEventId() {
    aliceOwns(job(jobId, JobState.RUNNING));
    SseEmitter emitter = new SseEmitter();
    emitter.complete();
    when(streams.open("alice", jobId, 2)).thenReturn(emitter);

    MvcTestResult result =
        mvc.get()
            .uri("/api/v1/jobs/" + jobId + "/events?after=2")
            .header("X-API-Key", "ka")
            .accept(MediaType.TEXT_EVENT_STREAM)
            .exchange();

    assertThat(result).hasStatusOk();
    verify(streams).open("alice", jobId, 2);
  }

  // --- GET /api/v1/jobs/{id}/result and /report

  @Test
  void resultAndReportOfAnUnfinishedJobAre409() {
    aliceOwns(job(jobId, JobState.RUNNING));

    assertProblem(
        get("/api/v1/jobs/" + jobId + "/result", "ka"),
        HttpStatus.CONFLICT,
        "is RUNNING; it has no result yet");
    assertProblem(
        get("/api/v1/jobs/" + jobId + "/report", "ka"),
        HttpStatus.CONFLICT,
        "is RUNNING; it has no result yet");
    verifyNoInteractions(blobs);
  }

  @Test
  void resultOfAFailedJobIs409() {
    aliceOwns(job(jobId, JobState.FAILED));

    assertProblem(get("/api/v1/jobs/" + jobId + "/result", "ka"), HttpStatus.CONFLICT, "is FAILED");
  }

  @Test
  void downloadsTheSimplifiedModelOfASucceededJobFromItsResultBlob() throws IOException {
    byte[] zip = {'P', 'K', 3, 4, 1, 2, 3};
    aliceOwns(job(jobId, JobState.SUCCEEDED, null, "result-blob", "{}"));
    var copy =
        org.mockito.ArgumentCaptor.forClass(org.cnnsimplifier.catalog.ModelDownloads.Copy.class);
    when(downloads.resultZip(
            copy.capture(),
            org.mockito.ArgumentMatchers.eq(org.cnnsimplifier.engine.model.ModelFormat.ONNX),
            org.mockito.ArgumentMatchers.eq("simplified-" + jobId)))
        .thenReturn(
            org.springframework.http.ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(
                    new org.springframework.core.io.InputStreamResource(
                        new ByteArrayInputStream(zip))));

    MvcTestResult result = get("/api/v1/jobs/" + jobId + "/result?format=onnx", "ka");

    assertThat(result).hasStatusOk();
    assertThat(result.getResponse().getContentAsByteArray()).isEqualTo(zip);
    java.nio.file.Path file = java.nio.file.Path.of("result.zip");
    copy.getValue().to(file);
    org.mockito.Mockito.verify(blobs).copyTo("result-blob", file);
  }

  @Test
  void refusesAnUnknownResultFormatWith400() {
    aliceOwns(job(jobId, JobState.SUCCEEDED, null, "result-blob", "{}"));

    assertProblem(
        get("/api/v1/jobs/" + jobId + "/result?format=caffe", "ka"),
        HttpStatus.BAD_REQUEST,
        "unknown model format 'caffe'; use one of dl4j, keras, onnx");
    verifyNoInteractions(downloads);
  }

  @Test
  void answersTheReportOfASucceededJob() {
    String report =
        "{\"original\":{\"params\":1000},\"simplified\":{\"params\":600},"
            + "\"steps\":[{\"layer\":\"conv1\",\"kernelsAfter\":3}]}";
    aliceOwns(job(jobId, JobState.SUCCEEDED, null, "result-blob", report));

    MvcTestResult result = get("/api/v1/jobs/" + jobId + "/report", "ka");

    assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_JSON);
    assertThat(result).bodyJson().extractingPath("$.simplified.params").isEqualTo(600);
    assertThat(result).bodyJson().extractingPath("$.steps[0].layer").isEqualTo("conv1");
  }

  @Test
  void aSucceededJobLinksItsResultAndReport() {
    aliceOwns(job(jobId, JobState.SUCCEEDED, null, "result-blob", "{}"));

    MvcTestResult result = get("/api/v1/jobs/" + jobId, "ka");

    assertThat(result)
        .bodyJson()
        .extractingPath("$.links.result")
        .isEqualTo("/api/v1/jobs/" + jobId + "/result");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.links.report")
        .isEqualTo("/api/v1/jobs/" + jobId + "/report");
  }

  @Test
  void resultOfAnotherOwnersJobIsNotFound() {
    aliceOwns(job(jobId, JobState.SUCCEEDED, null, "result-blob", "{}"));

    assertProblem(
        get("/api/v1/jobs/" + jobId + "/result", "kb"), HttpStatus.NOT_FOUND, "does not exist");
    assertProblem(
        get("/api/v1/jobs/" + jobId + "/report", "kb"), HttpStatus.NOT_FOUND, "does not exist");
    verifyNoInteractions(blobs);
  }

  // --- API keys

  @Test
  void refusesEveryEndpointWithoutAValidApiKey() {
    List<MvcTestResult> results =
        List.of(
            mvc.get().uri("/api/v1/jobs").exchange(),
            mvc.get().uri("/api/v1/jobs/" + jobId).header("X-API-Key", "wrong").exchange(),
            mvc.post()
                .uri("/api/v1/jobs")
                .contentType(MediaType.APPLICATION_JSON)
                .content(VALID)
                .exchange(),
            mvc.post().uri("/api/v1/jobs/" + jobId + "/cancel").exchange(),
            mvc.get().uri("/api/v1/jobs/" + jobId + "/events").exchange(),
            mvc.get().uri("/api/v1/jobs/" + jobId + "/result").exchange(),
            mvc.get().uri("/api/v1/jobs/" + jobId + "/report").exchange());

    for (MvcTestResult result : results) {
      assertThat(result)
          .hasStatus(HttpStatus.UNAUTHORIZED)
          .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
      assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(401);
    }
    assertProblem(results.get(0), HttpStatus.UNAUTHORIZED, "the X-API-Key header is missing");
    assertProblem(results.get(1), HttpStatus.UNAUTHORIZED, "the API key is not valid");
    verifyNoInteractions(queue, catalog, streams, blobs);
  }

  private static Job withCancelRequested(Job job) {
    return new Job(
        job.id(),
        job.owner(),
        job.state(),
        job.priority(),
        job.attempt(),
        job.maxAttempts(),
        job.runAt(),
        job.modelId(),
        job.datasetId(),
        job.spec(),
        job.leaseToken(),
        job.leaseExpiresAt(),
        job.workerId(),
        job.heartbeatAt(),
        JobFixtures.CREATED.plusSeconds(5),
        job.checkpointLayers(),
        job.checkpointBlob(),
        job.progress(),
        job.resultBlob(),
        job.report(),
        job.lastError(),
        job.idempotencyKey(),
        job.requestHash(),
        job.createdAt(),
        job.updatedAt(),
        job.startedAt(),
        job.finishedAt(),
        job.rescues(),
        job.expiredAt());
  }
}
