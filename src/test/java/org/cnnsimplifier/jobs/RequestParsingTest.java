package org.cnnsimplifier.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

import java.nio.charset.StandardCharsets;
import org.cnnsimplifier.catalog.Catalog;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.cnnsimplifier.storage.BlobStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Requests the service cannot read are answered with a problem detail naming the field and the form
 * it should have, never a bare "Failed to read request"; nothing is queued.
 */
@WebMvcTest(controllers = JobController.class, properties = "cnn.security.api-keys=alice:ka")
@Import({JobService.class, JobControllerTest.Slice.class})
class RequestParsingTest {
  private static final String IDS =
      "\"modelId\":\"7b0c7a1e-2c2b-4a55-9d52-0b0e6f7d9a10\","
          + "\"datasetId\":\"0f6c2a64-3b0c-4f3e-9a53-6c7e2b7d1c22\"";
  private static final String POLICY = "\"policy\":{\"type\":\"ratio\",\"ratio\":0.5}";

  @Autowired MockMvcTester mvc;
  @MockitoBean JobQueue queue;
  @MockitoBean Catalog catalog;
  @MockitoBean JobEventStreams streams;
  @MockitoBean BlobStore blobs;
  @MockitoBean JobBlobs jobBlobs;
  @MockitoBean org.cnnsimplifier.catalog.ModelDownloads downloads;

  private MvcTestResult post(String body) {
    return mvc.post()
        .uri("/api/v1/jobs")
        .header("X-API-Key", "ka")
        .contentType(MediaType.APPLICATION_JSON)
        .content(body)
        .exchange();
  }

  private static JsonNode problem(MvcTestResult result) throws Exception {
    assertThat(result)
        .hasStatus(HttpStatus.BAD_REQUEST)
        .hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    return JsonMapper.builder()
        .build()
        .readTree(result.getResponse().getContentAsString(StandardCharsets.UTF_8));
  }

  @Test
  void malformedJsonSaysWhereItBreaks() throws Exception {
    JsonNode problem = problem(post("{" + IDS + ", " + POLICY + ",}"));

    assertThat(problem.path("detail").asString())
        .contains("not valid JSON")
        .contains("line 1, column");
    verifyNoInteractions(queue);
  }

  @Test
  void anIdThatIsNotAUuidIsNamedWithTheExpectedForm() throws Exception {
    JsonNode problem = problem(post("{\"modelId\":\"abc\",\"datasetId\":\"abc\"," + POLICY + "}"));

    assertThat(problem.path("errors").path("modelId").asString())
        .contains("must be a UUID")
        .contains("got 'abc'");
  }

  @Test
  void anUnknownEnumValueListsTheKnownOnes() throws Exception {
    JsonNode problem = problem(post("{" + IDS + "," + POLICY + ",\"strategy\":\"FAST\"}"));

    assertThat(problem.path("errors").path("strategy").asString())
        .contains("PROGRESSIVE")
        .contains("ONE_SHOT")
        .contains("got 'FAST'");
  }

  @Test
  void aBadDurationAsksForIso8601() throws Exception {
    JsonNode problem = problem(post("{" + IDS + "," + POLICY + ",\"reviewTimeout\":\"2 hours\"}"));

    assertThat(problem.path("errors").path("reviewTimeout").asString())
        .contains("ISO-8601 duration such as PT2H");
  }

  @Test
  void aWrongTypeNamesTheNestedField() throws Exception {
    JsonNode problem =
        problem(post("{" + IDS + "," + POLICY + ",\"retraining\":{\"epochs\":\"many\"}}"));

    assertThat(problem.path("errors").path("retraining.epochs").asString())
        .contains("whole number");
  }

  @Test
  void retrainingOptionsOutOfRangeNameTheNestedField() throws Exception {
    JsonNode distillation =
        problem(
            post(
                "{"
                    + IDS
                    + ","
                    + POLICY
                    + ",\"retraining\":{\"distillation\":{\"temperature\":0}}}"));
    JsonNode both =
        problem(
            post(
                "{"
                    + IDS
                    + ","
                    + POLICY
                    + ",\"retraining\":{\"epochs\":1,\"budget\":{\"epochs\":2}}}"));

    assertThat(distillation.path("errors").has("retraining.distillation.temperature")).isTrue();
    assertThat(both.path("errors").path("retraining.epochs").asString()).contains("budget");
    verifyNoInteractions(queue);
  }

  @Test
  void anEmptyBodySaysWhatToSend() throws Exception {
    JsonNode problem = problem(post(""));

    assertThat(problem.path("detail").asString()).contains("send a JSON object");
  }

  @Test
  void unknownFieldsAreRefusedByName() throws Exception {
    JsonNode top = problem(post("{" + IDS + "," + POLICY + ",\"epoch\":3}"));
    JsonNode nested = problem(post("{" + IDS + "," + POLICY + ",\"retraining\":{\"turbo\":true}}"));

    assertThat(top.path("detail").asString()).contains("'epoch'");
    assertThat(top.path("errors").path("epoch").asString())
        .contains("unknown field")
        .contains("retraining");
    assertThat(nested.path("errors").path("retraining.turbo").asString())
        .contains("unknown field")
        .contains("epochs");
    verifyNoInteractions(queue);
  }

  @Test
  void aPathIdThatIsNotAUuidIsA400NamingIt() throws Exception {
    JsonNode problem =
        problem(mvc.get().uri("/api/v1/jobs/not-a-uuid").header("X-API-Key", "ka").exchange());

    assertThat(problem.path("detail").asString()).startsWith("id must be a UUID");
    assertThat(problem.path("errors").path("id").asString()).contains("got 'not-a-uuid'");
  }

  @Test
  void anUnknownStateFilterListsTheStates() throws Exception {
    JsonNode problem =
        problem(mvc.get().uri("/api/v1/jobs?state=DONE").header("X-API-Key", "ka").exchange());

    assertThat(problem.path("errors").path("state").asString()).contains("SUCCEEDED");
  }
}
