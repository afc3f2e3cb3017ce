package org.cnnsimplifier.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.cnnsimplifier.engine.data.DatasetSummary;
import org.cnnsimplifier.engine.data.ImageDataset;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.support.PostgresServiceTest;
import org.cnnsimplifier.system.Owner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The catalog over real HTTP on real PostgreSQL, blobs in the database: upload, read back,
 * download, owner isolation, delete, and failed uploads that leave nothing behind.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CatalogPostgresIntegrationTest extends PostgresServiceTest {
  private static final Owner ALICE = new Owner("alice");

  @Autowired ObjectMapper json;
  @Autowired Catalog catalog;
  private Http http;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("cnn.security.api-keys", () -> "alice:ka,bob:kb");
    registry.add("cnn.blobs.store", () -> "database");
    registry.add("cnn.workers.enabled", () -> "false");
  }

  @BeforeEach
  void cleanTables() {
    http = new Http(port);
    jdbc.sql("DELETE FROM job").update();
    jdbc.sql("DELETE FROM model").update();
    jdbc.sql("DELETE FROM dataset").update();
    jdbc.sql("DELETE FROM blob_chunk").update();
  }

  @Test
  void storesAModelThatOnlyItsOwnerCanReadDownloadAndDelete() throws IOException {
    byte[] zip = CatalogFixtures.tinyModelZip();

    HttpResponse<byte[]> created =
        http.postFile("/api/v1/models", "ka", "tiny.zip", "application/zip", zip);

    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode body = json.readTree(created.body());
    String location = created.headers().firstValue("Location").orElseThrow();
    assertThat(location).isEqualTo("http://localhost:" + port + "/api/v1/models/" + id(body));
    assertThat(body.path("sha256").asString()).isEqualTo(CatalogFixtures.sha256(zip));
    assertThat(body.path("architecture").path("prunableLayers").toString())
        .isEqualTo("[\"conv1\",\"conv2\",\"dense\"]");
    assertThat(body.path("architecture").path("defaultGroups").toString())
        .isEqualTo("[\"conv1\",\"conv2\"]");

    HttpResponse<byte[]> read = http.get(location, "ka");
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(json.readTree(read.body())).isEqualTo(body);
    JsonNode list = json.readTree(http.get("/api/v1/models", "ka").body());
    assertThat(list.path("totalItems").asInt()).isEqualTo(1);
    assertThat(list.path("items").get(0)).isEqualTo(body);

    HttpResponse<byte[]> content = http.get(location + "/content", "ka");
    assertThat(content.statusCode()).isEqualTo(200);
    assertThat(content.headers().firstValue("Content-Type")).hasValue("application/zip");
    assertThat(content.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"tiny.zip\"");
    assertThat(content.body()).isEqualTo(zip);

    assertThat(http.get(location, "kb").statusCode()).isEqualTo(404);
    assertThat(http.get(location + "/content", "kb").statusCode()).isEqualTo(404);
    assertThat(json.readTree(http.get("/api/v1/models", "kb").body()).path("totalItems").asInt())
        .isZero();
    assertThat(http.delete(location, "kb").statusCode()).isEqualTo(404);

    StoredModel stored = catalog.findModel(ALICE, id(body)).orElseThrow();
    assertThat(catalog.findModel(new Owner("bob"), id(body))).isEmpty();
    CnnModel model = catalog.loadModel(stored);
    assertThat(model.numParams()).isEqualTo(stored.architecture().totalParams());
    assertThat(model.layerNames()).contains("conv1", "conv2", "out");

    assertThat(http.delete(location, "ka").statusCode()).isEqualTo(204);
    assertThat(http.get(location, "ka").statusCode()).isEqualTo(404);
    assertThat(blobCount()).isZero();
    assertNoTemporaryFiles();
  }

  @Test
  void storesAKerasModelSentAsRawBody() throws IOException {
    byte[] h5;
    try (var in = getClass().getResourceAsStream("/keras/sequential_cnn.h5")) {
      h5 = in.readAllBytes();
    }

    HttpResponse<byte[]> created =
        http.postRaw("/api/v1/models?name=keras-net", "ka", "application/x-hdf5", h5);

    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode body = json.readTree(created.body());
    assertThat(body.path("format").asString()).isEqualTo("KERAS_H5");
    HttpResponse<byte[]> content = http.get("/api/v1/models/" + id(body) + "/content", "ka");
    assertThat(content.headers().firstValue("Content-Type")).hasValue("application/x-hdf5");
    assertThat(content.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"keras-net.h5\"");
    assertThat(content.body()).isEqualTo(h5);
  }

  @Test
  void storesAClassFolderZipThatOnlyItsOwnerCanReadAndOpen() {
    byte[] zip = CatalogFixtures.classFolderZip(List.of("cat", "dog"), 10);

    HttpResponse<byte[]> created =
        http.postRaw("/api/v1/datasets?seed=5", "ka", "application/zip", zip);

    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode body = json.readTree(created.body());
    assertThat(body.path("kind").asString()).isEqualTo("IMAGE_FOLDERS_ZIP");
    assertThat(body.path("counts").path("validation").path("dog").asInt()).isEqualTo(1);
    String location = created.headers().firstValue("Location").orElseThrow();
    assertThat(json.readTree(http.get(location, "ka").body())).isEqualTo(body);
    assertThat(http.get(location, "kb").statusCode()).isEqualTo(404);
    assertThat(http.delete(location, "kb").statusCode()).isEqualTo(404);

    StoredDataset stored = catalog.findDataset(ALICE, id(body)).orElseThrow();
    DatasetSummary summary;
    try (ImageDataset dataset = catalog.openDataset(stored, stored.options())) {
      summary = dataset.summary();
    }
    assertThat(summary).isEqualTo(stored.summary());

    assertThat(http.delete(location, "ka").statusCode()).isEqualTo(204);
    assertThat(http.get(location, "ka").statusCode()).isEqualTo(404);
    assertThat(blobCount()).isZero();
    assertNoTemporaryFiles();
  }

  @Test
  void failedUploadsLeaveNoBlobAndNoRow() throws IOException {
    HttpResponse<byte[]> damaged =
        http.postRaw("/api/v1/models", "ka", "application/zip", CatalogFixtures.damagedZip());
    HttpResponse<byte[]> noConvolution =
        http.postFile(
            "/api/v1/models?inputShape=2x4x4",
            "ka",
            "mlp.zip",
            "application/zip",
            CatalogFixtures.denseOnlyZip());
    HttpResponse<byte[]> text =
        http.postRaw("/api/v1/datasets", "ka", "text/plain", "hello".getBytes());
    HttpResponse<byte[]> oneClass =
        http.postFile(
            "/api/v1/datasets",
            "ka",
            "cats.zip",
            "application/zip",
            CatalogFixtures.classFolderZip(List.of("cat"), 3));

    assertThat(damaged.statusCode()).isEqualTo(422);
    assertThat(noConvolution.statusCode()).isEqualTo(422);
    assertThat(detail(noConvolution)).contains("mlp.zip has no convolution layer");
    assertThat(noConvolution.headers().firstValue("Content-Type"))
        .hasValue("application/problem+json");
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(oneClass.statusCode()).isEqualTo(422);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM model").query(Integer.class).single()).isZero();
    assertThat(jdbc.sql("SELECT COUNT(*) FROM dataset").query(Integer.class).single()).isZero();
    assertThat(blobCount()).isZero();
    assertNoTemporaryFiles();
  }

  @Test
  void refusesToDeleteWhatAnUnfinishedJobUsesAndAllowsItOnceTheJobFinished() {
    JsonNode model =
        json.readTree(
            http.postFile(
                    "/api/v1/models",
                    "ka",
                    "tiny.zip",
                    "application/zip",
                    CatalogFixtures.tinyModelZip())
                .body());
    JsonNode dataset =
        json.readTree(
            http.postRaw(
                    "/api/v1/datasets",
                    "ka",
                    "application/zip",
                    CatalogFixtures.classFolderZip(List.of("a", "b", "c"), 4))
                .body());
    UUID job = UUID.randomUUID();
    OffsetDateTime now = OffsetDateTime.now();
    jdbc.sql(
            "INSERT INTO job (id, owner, state, run_at, model_id, dataset_id, spec, created_at,"
                + " updated_at) VALUES (?, 'alice', 'RUNNING', ?, ?, ?, '{}', ?, ?)")
        .params(job, now, id(model), id(dataset), now, now)
        .update();

    HttpResponse<byte[]> modelInUse = http.delete("/api/v1/models/" + id(model), "ka");
    HttpResponse<byte[]> datasetInUse = http.delete("/api/v1/datasets/" + id(dataset), "ka");

    assertThat(modelInUse.statusCode()).isEqualTo(409);
    assertThat(detail(modelInUse)).contains("is used by a job");
    assertThat(datasetInUse.statusCode()).isEqualTo(409);
    assertThat(blobCount()).isEqualTo(2);

    // A finished job still refers to its model and data set, until it is deleted itself.
    jdbc.sql("UPDATE job SET state = 'SUCCEEDED' WHERE id = ?").param(job).update();
    assertThat(http.delete("/api/v1/models/" + id(model), "ka").statusCode()).isEqualTo(409);
    jdbc.sql("DELETE FROM job WHERE id = ?").param(job).update();
    assertThat(http.delete("/api/v1/models/" + id(model), "ka").statusCode()).isEqualTo(204);
    assertThat(http.delete("/api/v1/datasets/" + id(dataset), "ka").statusCode()).isEqualTo(204);
    assertThat(blobCount()).isZero();
  }

  @Test
  void openApiDescribesMultipartAndRawUploads() {
    JsonNode docs = json.readTree(http.get("/v3/api-docs", "ka").body());

    JsonNode models = docs.path("paths").path("/api/v1/models").path("post");
    assertThat(models.path("requestBody").path("content").propertyNames())
        .contains("multipart/form-data", "application/zip", "application/x-hdf5");
    assertThat(models.path("responses").path("201").toString()).contains("DL4J_ZIP");
    assertThat(models.path("responses").path("413").toString()).contains("max-bytes");
    JsonNode datasets = docs.path("paths").path("/api/v1/datasets").path("post");
    assertThat(datasets.path("requestBody").path("content").propertyNames())
        .contains("multipart/form-data", "application/zip");
  }

  private long blobCount() {
    return jdbc.sql("SELECT COUNT(DISTINCT blob_key) FROM blob_chunk").query(Long.class).single();
  }

  private void assertNoTemporaryFiles() {
    try {
      assertThat(CatalogSliceConfig.entriesUnder(dataDir.resolve("tmp"))).isZero();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String detail(HttpResponse<byte[]> response) {
    return json.readTree(new String(response.body(), StandardCharsets.UTF_8))
        .path("detail")
        .asString();
  }

  private static UUID id(JsonNode body) {
    return UUID.fromString(body.path("id").asString());
  }
}
