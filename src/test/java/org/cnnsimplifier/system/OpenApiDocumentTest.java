package org.cnnsimplifier.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.cnnsimplifier.jobs.JobSpec;
import org.cnnsimplifier.support.ServiceTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI description says what the API takes: no {@code owner} parameter anywhere (the key
 * decides), multipart uploads with a binary {@code file} part, described policy fields, and a job
 * example that the API's own strict reader accepts. Also: path tricks the firewall refuses answer
 * 400, never 500; metrics need a key when keys are required.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "cnn.security.api-keys=alice:ka",
      "cnn.security.require-keys=true",
      "cnn.workers.enabled=false"
    })
class OpenApiDocumentTest extends ServiceTest {
  private static final JsonMapper STRICT =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
  private final HttpClient http = HttpClient.newHttpClient();
  private JsonNode docs;

  private HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
    if (key != null) {
      request.header("X-API-Key", key);
    }
    return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @BeforeEach
  void readDocs() throws Exception {
    docs = STRICT.readTree(get("/v3/api-docs", null).body());
  }

  @Test
  void noOperationAsksForAnOwner() {
    List<String> owners = new ArrayList<>();
    docs.path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        op ->
                            op.getValue()
                                .path("parameters")
                                .forEach(
                                    p -> {
                                      if (p.path("name").asString().equals("owner")) {
                                        owners.add(op.getKey() + " " + path.getKey());
                                      }
                                    })));
    assertThat(owners).isEmpty();
    assertThat(docs.path("components").path("schemas").has("Owner")).isFalse();
  }

  @Test
  void multipartUploadsHaveABinaryFilePart() {
    for (String path : List.of("/api/v1/models", "/api/v1/datasets")) {
      JsonNode schema =
          docs.path("paths")
              .path(path)
              .path("post")
              .path("requestBody")
              .path("content")
              .path("multipart/form-data")
              .path("schema");
      JsonNode file = schema.path("properties").path("file");
      assertThat(file.toString()).as(path + ": " + schema).contains("binary");
      assertThat(schema.path("required").toString()).as(path).contains("file");
    }
  }

  @Test
  void theReportNamesTheSplitOfEveryFigureAndUploadsFixTheSplits() {
    JsonNode report =
        docs.path("paths")
            .path("/api/v1/jobs/{id}/report")
            .path("get")
            .path("responses")
            .path("200")
            .path("content")
            .path("application/json");
    assertThat(report.path("schema").path("$ref").asString()).endsWith("/JobReport");
    JsonNode schemas = docs.path("components").path("schemas");
    assertThat(
            schemas.path("Metrics").path("properties").path("split").path("description").asString())
        .contains("validation", "test", "held-out");
    assertThat(schemas.path("JobReport").path("properties").has("headline")).isTrue();
    assertThat(schemas.path("SplitUse").path("properties").has("images")).isTrue();
    JsonNode example =
        report.has("example")
            ? report.path("example")
            : report.path("examples").properties().iterator().next().getValue().path("value");
    JsonNode parsed = example.isString() ? STRICT.readTree(example.asString()) : example;
    assertThat(parsed.path("headline").path("split").asString()).isEqualTo("test");
    assertThat(parsed.path("steps").get(0).path("afterRetraining").path("split").asString())
        .isEqualTo("validation");

    List<String> uploadParameters = new ArrayList<>();
    docs.path("paths")
        .path("/api/v1/datasets")
        .path("post")
        .path("parameters")
        .forEach(p -> uploadParameters.add(p.path("name").asString()));
    assertThat(uploadParameters).contains("validationFraction", "testFraction", "seed");
    assertThat(
            schemas
                .path("JobSpec")
                .path("properties")
                .path("validationFraction")
                .path("description")
                .asString())
        .contains("fixed when the data set is uploaded");
  }

  @Test
  void policyFieldsAreDescribedAndTheJobExampleIsAcceptedAsIs() {
    JsonNode policy = docs.path("components").path("schemas").path("PolicySpec").path("properties");
    for (String field : List.of("type", "ratio", "perLayer", "threshold", "maxDrop", "kernels")) {
      assertThat(policy.path(field).path("description").asString()).as(field).isNotBlank();
    }
    JsonNode example = docs.path("components").path("schemas").path("JobSpec").path("example");
    JobSpec spec = STRICT.treeToValue(example, JobSpec.class);
    assertThat(spec.policy().type()).isEqualTo("ratio");
    STRICT.treeToValue(
        docs.path("components").path("schemas").path("PolicySpec").path("example"),
        JobSpec.PolicySpec.class);
  }

  @Test
  void aPathParameterTrickIsRefusedWith400NotA500() throws Exception {
    HttpResponse<String> trick = get("/api;x=1/v1/jobs", "ka");

    assertThat(trick.statusCode()).isEqualTo(400);
    assertThat(trick.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(get("/api/v1/jobs", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/jobs", "wrong").statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/jobs", "ka").statusCode()).isEqualTo(200);
  }

  @Test
  void actuatorEndpointsOtherThanHealthNeedAKeyWhenKeysAreRequired() throws Exception {
    assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
    assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
    assertThat(get("/actuator/prometheus", null).statusCode()).isEqualTo(401);
    assertThat(get("/actuator/metrics", null).statusCode()).isEqualTo(401);
    assertThat(get("/actuator/prometheus", "ka").statusCode()).isEqualTo(200);
  }

  @org.springframework.beans.factory.annotation.Autowired
  org.springframework.context.ApplicationContext context;

  @Test
  void callersAuthenticateByApiKeyOnlyWithNoGeneratedDefaultUser() {
    // Spring Boot's default user would print a generated password at every start-up.
    assertThat(
            context.getBeansOfType(
                org.springframework.security.core.userdetails.UserDetailsService.class))
        .isEmpty();
  }
}
