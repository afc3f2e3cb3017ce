package org.cnnsimplifier.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.storage.BlobStore;
import org.cnnsimplifier.system.Owner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(ModelController.class)
@Import(CatalogSliceConfig.class)
class ModelControllerTest {
  private static final Owner ALICE = new Owner("alice");
  private static final Owner BOB = new Owner("bob");
  private static Path dataDir;

  @Autowired MockMvcTester mvc;
  @Autowired BlobStore blobs;
  @MockitoBean ModelRepository models;
  @MockitoBean DatasetRepository datasets;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    dataDir = CatalogSliceConfig.register(registry);
  }

  @BeforeEach
  void emptyBlobStore() throws IOException {
    try (var files = Files.list(dataDir.resolve("blobs"))) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
  }

  @AfterEach
  void noTemporaryFileIsLeft() throws IOException {
    assertThat(CatalogSliceConfig.entriesUnder(dataDir.resolve("tmp"))).isZero();
  }

  @Test
  void storesMultipartDl4jZipAndAnswersItsArchitecture() throws IOException {
    byte[] zip = CatalogFixtures.tinyModelZip();

    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/models")
            .header("X-API-Key", "ka")
            .multipart()
            .file(new MockMultipartFile("file", "tiny.zip", "application/zip", zip))
            .exchange();

    assertThat(result).hasStatus(HttpStatus.CREATED);
    assertThat(result.getResponse().getHeader(HttpHeaders.LOCATION))
        .matches("http://localhost/api/v1/models/[0-9a-f-]{36}");
    assertThat(result).bodyJson().extractingPath("$.name").isEqualTo("tiny.zip");
    assertThat(result).bodyJson().extractingPath("$.format").isEqualTo("DL4J_ZIP");
    assertThat(result).bodyJson().extractingPath("$.sizeBytes").isEqualTo(zip.length);
    assertThat(result).bodyJson().extractingPath("$.sha256").isEqualTo(CatalogFixtures.sha256(zip));
    assertThat(result)
        .bodyJson()
        .extractingPath("$.createdAt")
        .isEqualTo("2025-01-31T10:15:30.123456Z");
    assertThat(result).bodyJson().extractingPath("$.inputShape.channels").isEqualTo(2);
    assertThat(result)
        .bodyJson()
        .extractingPath("$.architecture.prunableLayers")
        .asArray()
        .containsExactly("conv1", "conv2", "dense");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.architecture.defaultGroups")
        .asArray()
        .containsExactly("conv1", "conv2");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.architecture.layers[0]")
        .asMap()
        .containsEntry("name", "conv1")
        .containsEntry("kind", "Convolution")
        .containsEntry("kernels", 6)
        .containsEntry("prunable", true)
        .containsEntry("inputShape", List.of(2, 10, 10))
        .containsKeys("outputShape", "params", "flops", "notPrunableReason");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.architecture.layers[7].notPrunableReason")
        .isEqualTo("its units are the model's outputs (the classes); they are never removed");

    ArgumentCaptor<StoredModel> stored = ArgumentCaptor.forClass(StoredModel.class);
    verify(models).insert(stored.capture());
    assertThat(stored.getValue().owner()).isEqualTo(ALICE);
    assertThat(stored.getValue().architecture().totalParams()).isPositive();
    assertThat(blobs.exists(stored.getValue().blobKey())).isTrue();
    try (var in = blobs.open(stored.getValue().blobKey())) {
      assertThat(in.readAllBytes()).isEqualTo(zip);
    }
  }

  @Test
  void storesRawBodyNamedByContentDisposition() {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/models")
            .header("X-API-Key", "ka")
            .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"lenet.zip\"")
            .contentType("application/zip")
            .content(CatalogFixtures.tinyModelZip())
            .exchange();

    assertThat(result).hasStatus(HttpStatus.CREATED);
    assertThat(result).bodyJson().extractingPath("$.name").isEqualTo("lenet.zip");
    verify(models).insert(any());
  }

  @Test
  void rawBodyTakesTheNameParameterOverContentDisposition() {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/models?name=my net")
            .header("X-API-Key", "ka")
            .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"lenet.zip\"")
            .contentType(MediaType.APPLICATION_OCTET_STREAM)
            .content(CatalogFixtures.tinyModelZip())
            .exchange();

    assertThat(result).hasStatus(HttpStatus.CREATED);
    assertThat(result).bodyJson().extractingPath("$.name").isEqualTo("my net");
  }

  @Test
  void refusesRawBodyOverTheLimitWith413() throws IOException {
    MvcTestResult result =
        rawUpload(
            MediaType.APPLICATION_OCTET_STREAM_VALUE,
            CatalogFixtures.randomBytes((int) CatalogSliceConfig.LIMIT + 1, 1));

    assertProblem(result, HttpStatus.CONTENT_TOO_LARGE, "larger than the limit of 307200 bytes");
    assertNothingStored();
  }

  @Test
  void refusesMultipartPartOverTheLimitWith413() throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/models")
            .header("X-API-Key", "ka")
            .multipart()
            .file(
                new MockMultipartFile(
                    "file",
                    "big.zip",
                    "application/zip",
                    CatalogFixtures.randomBytes(400 * 1024, 2)))
            .exchange();

    assertProblem(result, HttpStatus.CONTENT_TOO_LARGE, "cnn.uploads.max-bytes");
    assertNothingStored();
  }

  @Test
  void refusesDeclaredTextWith415NamingAcceptedTypes() throws IOException {
    MvcTestResult result = rawUpload("text/plain", CatalogFixtures.tinyModelZip());

    assertProblem(
        result,
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type text/plain is not a model type; send application/zip");
    assertThat(detail(result)).contains("application/x-hdf5");
    assertNothingStored();
  }

  @Test
  void refusesContentThatIsNeitherZipNorHdf5With415() throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/models")
            .header("X-API-Key", "ka")
            .multipart()
            .file(
                new MockMultipartFile(
                    "file",
                    "weights.bin",
                    "application/octet-stream",
                    CatalogFixtures.randomBytes(5000, 3)))
            .exchange();

    assertProblem(
        result,
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "weights.bin is neither a zip archive (a Deeplearning4j model), an HDF5 file (a Keras"
            + " model) nor an ONNX model");
    assertNothingStored();
  }

  @Test
  void refusesRawBodyThatIsNeitherZipNorHdf5With415() throws IOException {
    MvcTestResult result =
        rawUpload(MediaType.APPLICATION_OCTET_STREAM_VALUE, CatalogFixtures.randomBytes(9000, 4));

    assertProblem(result, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "is neither a zip archive");
    assertNothingStored();
  }

  @Test
  void refusesEmptyBodyWith422() throws IOException {
    MvcTestResult result = rawUpload("application/zip", new byte[0]);

    assertProblem(result, HttpStatus.UNPROCESSABLE_CONTENT, "is empty");
    assertNothingStored();
  }

  @Test
  void refusesDamagedZipWith422() throws IOException {
    MvcTestResult result = rawUpload("application/zip", CatalogFixtures.damagedZip());

    assertProblem(result, HttpStatus.UNPROCESSABLE_CONTENT, "is not a readable zip archive");
    assertNothingStored();
  }

  @Test
  void refusesModelWithoutConvolutionWith422() throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/models?inputShape=2x4x4")
            .header("X-API-Key", "ka")
            .multipart()
            .file(
                new MockMultipartFile(
                    "file", "mlp.zip", "application/zip", CatalogFixtures.denseOnlyZip()))
            .exchange();

    assertProblem(result, HttpStatus.UNPROCESSABLE_CONTENT, "mlp.zip");
    assertThat(detail(result)).contains("has no convolution layer");
    assertNothingStored();
  }

  @Test
  void refusesKerasModelWithUnsupportedLayerWith422() throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/models")
            .header("X-API-Key", "ka")
            .multipart()
            .file(
                new MockMultipartFile(
                    "file",
                    "unsupported_layer.h5",
                    "application/x-hdf5",
                    CatalogFixtures.kerasUnsupportedLayer()))
            .exchange();

    assertProblem(result, HttpStatus.UNPROCESSABLE_CONTENT, "unsupported_layer.h5");
    assertThat(detail(result)).contains("ActivityRegularization").contains("not supported");
    assertNothingStored();
  }

  @Test
  void refusesZipInflatingPastTheLimitWith422() throws IOException {
    byte[] bomb =
        CatalogFixtures.zipOfZeros(List.of("configuration.json", "coefficients.bin"), 6 << 20);

    MvcTestResult result = rawUpload("application/zip", bomb);

    assertProblem(result, HttpStatus.UNPROCESSABLE_CONTENT, "inflates to more than 10485760 bytes");
    assertNothingStored();
  }

  @Test
  void refusesZipWithAnEntryLeavingItsFolderWith422() throws IOException {
    byte[] zip = CatalogFixtures.zipOfZeros(List.of("configuration.json", "../../etc/x"), 10);

    MvcTestResult result = rawUpload("application/zip", zip);

    assertProblem(result, HttpStatus.UNPROCESSABLE_CONTENT, "'../../etc/x'");
    assertThat(detail(result)).contains("leaves the archive's folder");
    assertNothingStored();
  }

  @Test
  void refusesZipWithTooManyEntriesWith422() throws IOException {
    List<String> entries = java.util.stream.IntStream.range(0, 51).mapToObj(i -> "e" + i).toList();

    MvcTestResult result = rawUpload("application/zip", CatalogFixtures.zipOfZeros(entries, 1));

    assertProblem(
        result, HttpStatus.UNPROCESSABLE_CONTENT, "has 51 entries; a model zip may have 50");
    assertNothingStored();
  }

  @Test
  void refusesMalformedInputShapeWith400() throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/models?inputShape=28by28")
            .header("X-API-Key", "ka")
            .contentType("application/zip")
            .content(CatalogFixtures.tinyModelZip())
            .exchange();

    assertProblem(result, HttpStatus.BAD_REQUEST, "inputShape must be CHANNELSxHEIGHTxWIDTH");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors.inputShape")
        .isEqualTo("must be like 1x28x28, got '28by28'");
    assertNothingStored();
  }

  @Test
  void deletesTheBlobWhenTheRowCannotBeInserted() throws IOException {
    doThrow(new DataAccessResourceFailureException("database down")).when(models).insert(any());

    MvcTestResult result = rawUpload("application/zip", CatalogFixtures.tinyModelZip());

    assertThat(result).hasStatus(HttpStatus.INTERNAL_SERVER_ERROR);
    assertThat(CatalogSliceConfig.filesUnder(dataDir.resolve("blobs"))).isZero();
  }

  @Test
  void listsTheOwnersModelsNewestFirstWithPaging() {
    StoredModel model = storedModel(ALICE, "a.zip");
    when(models.page(ALICE, new Paging(1, 5))).thenReturn(List.of(model));
    when(models.count(ALICE)).thenReturn(6L);

    MvcTestResult result =
        mvc.get().uri("/api/v1/models?page=1&size=5").header("X-API-Key", "ka").exchange();

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.items[0].id").isEqualTo(model.id().toString());
    assertThat(result).bodyJson().extractingPath("$.page").isEqualTo(1);
    assertThat(result).bodyJson().extractingPath("$.size").isEqualTo(5);
    assertThat(result).bodyJson().extractingPath("$.totalItems").isEqualTo(6);
  }

  @Test
  void refusesPageSizeOver100With400() {
    MvcTestResult result =
        mvc.get().uri("/api/v1/models?size=500").header("X-API-Key", "ka").exchange();

    assertProblem(result, HttpStatus.BAD_REQUEST, "size must be between 1 and 100");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors.size")
        .isEqualTo("must be between 1 and 100, got 500");
  }

  @Test
  void answersOneModel() {
    StoredModel model = storedModel(ALICE, "a.zip");
    when(models.find(ALICE, model.id())).thenReturn(Optional.of(model));

    MvcTestResult result =
        mvc.get().uri("/api/v1/models/" + model.id()).header("X-API-Key", "ka").exchange();

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.name").isEqualTo("a.zip");
    assertThat(result).bodyJson().extractingPath("$.architecture.totalParams").isEqualTo(0);
  }

  @Test
  void anotherOwnersModelIsNotFound() {
    StoredModel model = storedModel(ALICE, "a.zip");
    when(models.find(ALICE, model.id())).thenReturn(Optional.of(model));
    when(models.find(BOB, model.id())).thenReturn(Optional.empty());

    MvcTestResult result =
        mvc.get().uri("/api/v1/models/" + model.id()).header("X-API-Key", "kb").exchange();

    assertProblem(result, HttpStatus.NOT_FOUND, "model " + model.id() + " does not exist");
    verify(models).find(BOB, model.id());
  }

  @Test
  void refusesRequestsWithoutApiKeyWith401() {
    MvcTestResult result = mvc.get().uri("/api/v1/models").exchange();

    assertThat(result).hasStatus(HttpStatus.UNAUTHORIZED);
  }

  @Test
  void streamsTheStoredFileWithTypeAndFileName() throws IOException {
    byte[] content = CatalogFixtures.tinyModelZip();
    Path file = Files.createTempFile("model", ".zip");
    Files.write(file, content);
    String key = blobs.put(file);
    StoredModel model = storedModel(ALICE, "lenet", key, content.length);
    when(models.find(ALICE, model.id())).thenReturn(Optional.of(model));

    MvcTestResult result =
        mvc.get()
            .uri("/api/v1/models/" + model.id() + "/content")
            .header("X-API-Key", "ka")
            .exchange();

    assertThat(result).hasStatusOk().hasContentType("application/zip");
    assertThat(result.getResponse().getHeader(HttpHeaders.CONTENT_DISPOSITION))
        .isEqualTo("attachment; filename=\"lenet.zip\"");
    assertThat(result.getResponse().getContentAsByteArray()).isEqualTo(content);
    blobs.delete(key);
    Files.deleteIfExists(file);
  }

  @Test
  void contentOfAnotherOwnersModelIsNotFound() {
    UUID id = UUID.randomUUID();
    when(models.find(BOB, id)).thenReturn(Optional.empty());

    MvcTestResult result =
        mvc.get().uri("/api/v1/models/" + id + "/content").header("X-API-Key", "kb").exchange();

    assertProblem(result, HttpStatus.NOT_FOUND, "model " + id + " does not exist");
  }

  @Test
  void deletesTheRowAndThenTheBlob() throws IOException {
    Path file = Files.createTempFile("model", ".zip");
    String key = blobs.put(file);
    UUID id = UUID.randomUUID();
    when(models.delete(ALICE, id))
        .thenReturn(new CatalogRows.Deleted(CatalogRows.Deletion.DELETED, key));

    MvcTestResult result =
        mvc.delete().uri("/api/v1/models/" + id).header("X-API-Key", "ka").exchange();

    assertThat(result).hasStatus(HttpStatus.NO_CONTENT);
    assertThat(blobs.exists(key)).isFalse();
    Files.deleteIfExists(file);
  }

  @Test
  void refusesToDeleteAModelAnUnfinishedJobUsesWith409() {
    UUID id = UUID.randomUUID();
    when(models.delete(ALICE, id))
        .thenReturn(new CatalogRows.Deleted(CatalogRows.Deletion.IN_USE, null));

    MvcTestResult result =
        mvc.delete().uri("/api/v1/models/" + id).header("X-API-Key", "ka").exchange();

    assertProblem(result, HttpStatus.CONFLICT, "model " + id + " is used by a job");
  }

  @Test
  void deletingAnotherOwnersModelIsNotFound() {
    UUID id = UUID.randomUUID();
    when(models.delete(eq(BOB), eq(id)))
        .thenReturn(new CatalogRows.Deleted(CatalogRows.Deletion.NOT_FOUND, null));

    MvcTestResult result =
        mvc.delete().uri("/api/v1/models/" + id).header("X-API-Key", "kb").exchange();

    assertProblem(result, HttpStatus.NOT_FOUND, "model " + id + " does not exist");
  }

  private MvcTestResult rawUpload(String contentType, byte[] body) {
    return mvc.post()
        .uri("/api/v1/models")
        .header("X-API-Key", "ka")
        .contentType(contentType)
        .content(body)
        .exchange();
  }

  private void assertNothingStored() throws IOException {
    verify(models, never()).insert(any());
    assertThat(CatalogSliceConfig.filesUnder(dataDir.resolve("blobs"))).isZero();
  }

  static void assertProblem(MvcTestResult result, HttpStatus status, String detailPart) {
    assertThat(result).hasStatus(status).hasContentType(MediaType.APPLICATION_PROBLEM_JSON);
    assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(status.value());
    assertThat(detail(result)).contains(detailPart);
  }

  static String detail(MvcTestResult result) {
    try {
      return new tools.jackson.databind.json.JsonMapper()
          .readTree(result.getResponse().getContentAsString())
          .path("detail")
          .asString();
    } catch (java.io.UnsupportedEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static StoredModel storedModel(Owner owner, String name) {
    return storedModel(owner, name, "00000000-0000-0000-0000-000000000000", 10);
  }

  private static StoredModel storedModel(Owner owner, String name, String key, long size) {
    return new StoredModel(
        UUID.randomUUID(),
        owner,
        name,
        ModelFormat.DL4J_ZIP,
        size,
        "ab".repeat(32),
        key,
        new InputShape(1, 28, 28),
        new ArchitectureSummary(List.of(), 0, 0),
        CatalogSliceConfig.NOW);
  }
}
