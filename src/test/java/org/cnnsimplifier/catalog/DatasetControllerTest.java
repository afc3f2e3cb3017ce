package org.cnnsimplifier.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnnsimplifier.catalog.ModelControllerTest.assertProblem;
import static org.cnnsimplifier.catalog.ModelControllerTest.detail;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.ZipFile;
import org.cnnsimplifier.engine.data.DatasetOptions;
import org.cnnsimplifier.engine.data.DatasetSummary;
import org.cnnsimplifier.engine.data.ImageDataset;
import org.cnnsimplifier.engine.data.SourceKind;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.storage.BlobStore;
import org.cnnsimplifier.system.Owner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(DatasetController.class)
@Import(CatalogSliceConfig.class)
class DatasetControllerTest {
  private static final Owner ALICE = new Owner("alice");
  private static final Owner BOB = new Owner("bob");
  private static Path dataDir;

  @Autowired MockMvcTester mvc;
  @Autowired BlobStore blobs;
  @Autowired Catalog catalog;
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
  void storesZipOfClassFoldersWithCountsPerSplit() throws IOException {
    byte[] zip = CatalogFixtures.classFolderZip(List.of("cat", "dog"), 10);

    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/datasets")
            .header("X-API-Key", "ka")
            .multipart()
            .file(new MockMultipartFile("file", "pets.zip", "application/zip", zip))
            .param("validationFraction", "0.2")
            .param("seed", "42")
            .exchange();

    assertThat(result).hasStatus(HttpStatus.CREATED);
    assertThat(result.getResponse().getHeader(HttpHeaders.LOCATION))
        .matches("http://localhost/api/v1/datasets/[0-9a-f-]{36}");
    assertThat(result).bodyJson().extractingPath("$.name").isEqualTo("pets.zip");
    assertThat(result).bodyJson().extractingPath("$.kind").isEqualTo("IMAGE_FOLDERS_ZIP");
    assertThat(result).bodyJson().extractingPath("$.sizeBytes").isEqualTo(zip.length);
    assertThat(result).bodyJson().extractingPath("$.sha256").isEqualTo(CatalogFixtures.sha256(zip));
    assertThat(result)
        .bodyJson()
        .extractingPath("$.classes")
        .asArray()
        .containsExactly("cat", "dog");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.counts")
        .isEqualTo(
            Map.of(
                "train", Map.of("cat", 7, "dog", 7),
                "validation", Map.of("cat", 2, "dog", 2),
                "test", Map.of("cat", 1, "dog", 1)));
    assertThat(result)
        .bodyJson()
        .extractingPath("$.imageShape")
        .isEqualTo(Map.of("channels", 3, "height", 8, "width", 8));
    assertThat(result).bodyJson().extractingPath("$.validationFraction").isEqualTo(0.2);
    // No test/ folder: the default share of train is held out as the test split.
    assertThat(result).bodyJson().extractingPath("$.testFraction").isEqualTo(0.1);
    assertThat(result).bodyJson().extractingPath("$.testSplit").isEqualTo("held-out");
    assertThat(result).bodyJson().extractingPath("$.seed").isEqualTo(42);

    ArgumentCaptor<StoredDataset> stored = ArgumentCaptor.forClass(StoredDataset.class);
    verify(datasets).insert(stored.capture());
    assertThat(stored.getValue().owner()).isEqualTo(ALICE);
    try (var in = blobs.open(stored.getValue().blobKey())) {
      assertThat(in.readAllBytes()).isEqualTo(zip);
    }
  }

  @Test
  void zipsIdxPartsTogetherGzippedOrNot() throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/datasets")
            .header("X-API-Key", "ka")
            .multipart()
            .file(idx("train-images-idx3-ubyte.gz", CatalogFixtures.gzip(trainImages())))
            .file(idx("train-labels-idx1-ubyte.gz", CatalogFixtures.gzip(trainLabels())))
            .file(idx("t10k-images-idx3-ubyte", CatalogFixtures.idxImages(4, 6, 6)))
            .file(idx("t10k-labels-idx1-ubyte", CatalogFixtures.idxLabels(0, 1, 0, 1)))
            .param("name", "digits")
            .exchange();

    assertThat(result).hasStatus(HttpStatus.CREATED);
    assertThat(result).bodyJson().extractingPath("$.name").isEqualTo("digits");
    assertThat(result).bodyJson().extractingPath("$.kind").isEqualTo("IDX_ZIP");
    assertThat(result).bodyJson().extractingPath("$.classes").asArray().containsExactly("0", "1");
    assertThat(result).bodyJson().extractingPath("$.counts.test").isEqualTo(Map.of("0", 2, "1", 2));
    assertThat(result).bodyJson().extractingPath("$.counts.train.0").isEqualTo(9);
    assertThat(result).bodyJson().extractingPath("$.counts.validation.0").isEqualTo(1);
    // The data set has its own test split: nothing is held out of train.
    assertThat(result).bodyJson().extractingPath("$.testSplit").isEqualTo("test");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.imageShape")
        .isEqualTo(Map.of("channels", 1, "height", 6, "width", 6));

    ArgumentCaptor<StoredDataset> stored = ArgumentCaptor.forClass(StoredDataset.class);
    verify(datasets).insert(stored.capture());
    Path copy = Files.createTempFile("stored", ".zip");
    blobs.copyTo(stored.getValue().blobKey(), copy);
    try (ZipFile zip = new ZipFile(copy.toFile())) {
      assertThat(zip.stream().map(java.util.zip.ZipEntry::getName))
          .containsExactly(
              "train-images-idx3-ubyte.gz",
              "train-labels-idx1-ubyte.gz",
              "t10k-images-idx3-ubyte",
              "t10k-labels-idx1-ubyte");
    }
    assertThat(stored.getValue().sha256())
        .isEqualTo(CatalogFixtures.sha256(Files.readAllBytes(copy)));
    Files.delete(copy);
  }

  @Test
  void storesAndReturnsTheTestFractionAndHoldsOutADisjointTestSlice() {
    MvcTestResult result = uploadIdx("?validationFraction=0.2&testFraction=0.3&seed=5");

    assertThat(result).hasStatus(HttpStatus.CREATED);
    assertThat(result).bodyJson().extractingPath("$.testFraction").isEqualTo(0.3);
    assertThat(result).bodyJson().extractingPath("$.testSplit").isEqualTo("held-out");
    // Both shares are of the 10 training images per class: 3 held out, 2 validation, 5 train.
    assertThat(result)
        .bodyJson()
        .extractingPath("$.counts")
        .isEqualTo(
            Map.of(
                "train", Map.of("0", 5, "1", 5),
                "validation", Map.of("0", 2, "1", 2),
                "test", Map.of("0", 3, "1", 3)));
    StoredDataset stored = stored();
    assertThat(stored.testFraction()).isEqualTo(0.3);
    assertThat(stored.validationFraction()).isEqualTo(0.2);
    assertThat(stored.summary().testSplitName()).isEqualTo("held-out");

    try (ImageDataset data = catalog.openDataset(stored, DatasetOptions.defaults())) {
      List<Integer> train = imageIds(data.train(4, 1));
      List<Integer> validation = imageIds(data.validation(4));
      List<Integer> test = imageIds(data.test(4).orElseThrow());
      assertThat(data.testSplitName()).isEqualTo("held-out");
      assertThat(test).hasSize(6).doesNotContainAnyElementsOf(train);
      assertThat(test).doesNotContainAnyElementsOf(validation);
      assertThat(validation).hasSize(4).doesNotContainAnyElementsOf(train);
      List<Integer> all = new java.util.ArrayList<>(train);
      all.addAll(validation);
      all.addAll(test);
      assertThat(all)
          .containsExactlyInAnyOrderElementsOf(
              java.util.stream.IntStream.range(0, 20).boxed().toList());
    }
  }

  @Test
  void everyJobOpensTheSplitsFixedAtUploadWhateverItsSeedAndFraction() {
    assertThat(uploadIdx("?validationFraction=0.2&seed=5")).hasStatus(HttpStatus.CREATED);
    StoredDataset stored = stored();

    // What two jobs with different seeds (and a job asking for another split) open.
    DatasetOptions seed7 = DatasetOptions.defaults().withSeed(7);
    DatasetOptions seed42 =
        DatasetOptions.defaults().withSeed(42).withValidationFraction(0.5).withTestFraction(0);
    try (ImageDataset a = catalog.openDataset(stored, seed7);
        ImageDataset b = catalog.openDataset(stored, seed42);
        ImageDataset atUpload = catalog.openDataset(stored, stored.options())) {
      List<Integer> validation = imageIds(atUpload.validation(3));
      assertThat(validation).hasSize(4);
      assertThat(imageIds(a.validation(3))).isEqualTo(validation);
      assertThat(imageIds(b.validation(3))).isEqualTo(validation);
      List<Integer> test = imageIds(atUpload.test(3).orElseThrow());
      assertThat(imageIds(a.test(3).orElseThrow())).isEqualTo(test);
      assertThat(imageIds(b.test(3).orElseThrow())).isEqualTo(test);
      assertThat(b.summary().counts()).isEqualTo(stored.summary().counts());
    }
  }

  @Test
  void refusesFractionsThatLeaveNoTrainingImagesWith400() throws IOException {
    MvcTestResult result = uploadIdx("?validationFraction=0.5&testFraction=0.5");

    assertProblem(
        result, HttpStatus.BAD_REQUEST, "validationFraction + testFraction must be below 1");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors.testFraction")
        .asString()
        .contains("leaves no training images");
    assertNothingStored();
  }

  private MvcTestResult uploadIdx(String query) {
    return mvc.post()
        .uri("/api/v1/datasets" + query)
        .header("X-API-Key", "ka")
        .multipart()
        .file(idx("train-images-idx3-ubyte", trainImages()))
        .file(idx("train-labels-idx1-ubyte", trainLabels()))
        .exchange();
  }

  private StoredDataset stored() {
    ArgumentCaptor<StoredDataset> stored = ArgumentCaptor.forClass(StoredDataset.class);
    verify(datasets).insert(stored.capture());
    return stored.getValue();
  }

  /** Which of {@link #trainImages()} the iterator gives: image i is filled with 10·i. */
  private static List<Integer> imageIds(DataSetIterator images) {
    List<Integer> ids = new java.util.ArrayList<>();
    images.reset();
    while (images.hasNext()) {
      INDArray features = images.next().getFeatures();
      for (int n = 0; n < features.size(0); n++) {
        ids.add((int) Math.round(features.getDouble(n, 0, 0, 0) * 255 / 10));
      }
    }
    return ids;
  }

  @Test
  void takesTwoUnnamedIdxPartsAsTheTrainingPair() {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/datasets")
            .header("X-API-Key", "ka")
            .multipart()
            .file(idx("labels.bin", trainLabels()))
            .file(idx("pixels.bin", trainImages()))
            .exchange();

    assertThat(result).hasStatus(HttpStatus.CREATED);
    assertThat(result).bodyJson().extractingPath("$.name").isEqualTo("dataset");
    assertThat(result).bodyJson().extractingPath("$.counts.train.1").isEqualTo(8);
    assertThat(result).bodyJson().extractingPath("$.counts.validation.1").isEqualTo(1);
    assertThat(result).bodyJson().extractingPath("$.counts.test.1").isEqualTo(1);
  }

  @Test
  void storesRawZipBody() {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/datasets")
            .header("X-API-Key", "ka")
            .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"pets.zip\"")
            .contentType("application/zip")
            .content(CatalogFixtures.classFolderZip(List.of("cat", "dog", "eel"), 3))
            .exchange();

    assertThat(result).hasStatus(HttpStatus.CREATED);
    assertThat(result).bodyJson().extractingPath("$.name").isEqualTo("pets.zip");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.classes")
        .asArray()
        .containsExactly("cat", "dog", "eel");
  }

  @Test
  void refusesRawBodyThatIsNotAZipWith415() throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/datasets")
            .header("X-API-Key", "ka")
            .contentType("application/octet-stream")
            .content(trainImages())
            .exchange();

    assertProblem(
        result, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "sent as the request body must be a zip");
    assertNothingStored();
  }

  @Test
  void refusesDeclaredJsonBodyWith415NamingAcceptedTypes() throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/datasets")
            .header("X-API-Key", "ka")
            .contentType("application/json")
            .content("{}")
            .exchange();

    assertProblem(
        result,
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "Content-Type application/json is not a data set type; send application/zip");
    assertNothingStored();
  }

  @Test
  void refusesPartThatIsNeitherZipNorIdxWith415() throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/datasets")
            .header("X-API-Key", "ka")
            .multipart()
            .file(
                new MockMultipartFile(
                    "file", "notes.bin", "application/octet-stream", "hello".getBytes()))
            .exchange();

    assertProblem(
        result,
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "notes.bin is neither a zip archive nor an IDX file");
    assertNothingStored();
  }

  @Test
  void refusesTextPartWith415() throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/datasets")
            .header("X-API-Key", "ka")
            .multipart()
            .file(new MockMultipartFile("file", "notes.txt", "text/plain", "hello".getBytes()))
            .exchange();

    assertProblem(result, HttpStatus.UNSUPPORTED_MEDIA_TYPE, "text/plain is not a data set type");
    assertNothingStored();
  }

  @Test
  void refusesDamagedZipWith422() throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/datasets")
            .header("X-API-Key", "ka")
            .contentType("application/zip")
            .content(CatalogFixtures.damagedZip())
            .exchange();

    assertProblem(result, HttpStatus.UNPROCESSABLE_CONTENT, "not a readable zip archive");
    assertNothingStored();
  }

  @Test
  void refusesAZipBombWith422BeforeExtractingIt() throws IOException {
    // Two entries of 96 MiB of zeros: about 200 KB uploaded, 192 MiB if extracted.
    byte[] bomb = CatalogFixtures.zipOfZeros(List.of("a/1.png", "b/1.png"), 96 << 20);

    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/datasets")
            .header("X-API-Key", "ka")
            .contentType("application/zip")
            .content(bomb)
            .exchange();

    // Four times cnn.uploads.max-bytes (300 KB here) is the most a data set may expand to.
    assertProblem(result, HttpStatus.UNPROCESSABLE_CONTENT, "more than 1228800 bytes");
    assertThat(detail(result)).contains("zip bomb");
    assertNothingStored();
  }

  @Test
  void refusesACorruptImageAtUploadNamingIt() throws IOException {
    byte[] png = CatalogFixtures.png(8, 8, 0x336699);
    byte[] truncated = java.util.Arrays.copyOf(png, png.length / 2);
    byte[] zip =
        CatalogFixtures.zipWith(
            CatalogFixtures.classFolderZip(List.of("cat", "dog"), 3),
            java.util.Map.of("images/dog/broken.png", truncated));

    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/datasets")
            .header("X-API-Key", "ka")
            .contentType("application/zip")
            .content(zip)
            .exchange();

    assertProblem(result, HttpStatus.UNPROCESSABLE_CONTENT, "broken.png");
    assertNothingStored();
  }

  @Test
  void refusesZipWithOneClassWith422() throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/datasets")
            .header("X-API-Key", "ka")
            .contentType("application/zip")
            .content(CatalogFixtures.classFolderZip(List.of("cat"), 4))
            .exchange();

    assertThat(result).hasStatus(HttpStatus.UNPROCESSABLE_CONTENT);
    assertThat(detail(result)).containsIgnoringCase("class");
    assertNothingStored();
  }

  @Test
  void refusesImagesWithoutLabelsWith422() throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/datasets")
            .header("X-API-Key", "ka")
            .multipart()
            .file(idx("train-images-idx3-ubyte", trainImages()))
            .exchange();

    assertProblem(result, HttpStatus.UNPROCESSABLE_CONTENT, "has no matching labels");
    assertNothingStored();
  }

  @Test
  void refusesIdxPartsWhoseSplitsCannotBeToldWith422() throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/datasets")
            .header("X-API-Key", "ka")
            .multipart()
            .file(idx("a.bin", trainImages()))
            .file(idx("b.bin", trainLabels()))
            .file(idx("c.bin", trainLabels()))
            .exchange();

    assertProblem(result, HttpStatus.UNPROCESSABLE_CONTENT, "cannot tell the splits");
    assertNothingStored();
  }

  @Test
  void refusesPartsTogetherOverTheLimitWith413() throws IOException {
    // Each part is under the limit; both together are over it.
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/datasets")
            .header("X-API-Key", "ka")
            .multipart()
            .file(idx("train-images-idx3-ubyte", CatalogFixtures.idxImages(200, 28, 28)))
            .file(idx("t10k-images-idx3-ubyte", CatalogFixtures.idxImages(200, 28, 28)))
            .exchange();

    assertProblem(result, HttpStatus.CONTENT_TOO_LARGE, "larger than the limit of 307200 bytes");
    assertNothingStored();
  }

  @Test
  void refusesValidationFractionOfOneWith400() throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/datasets?validationFraction=1")
            .header("X-API-Key", "ka")
            .contentType("application/zip")
            .content(CatalogFixtures.classFolderZip(List.of("cat", "dog"), 3))
            .exchange();

    assertProblem(result, HttpStatus.BAD_REQUEST, "validationFraction must be at least 0");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.errors.validationFraction")
        .isEqualTo("must be in [0, 1), got 1.0");
    assertNothingStored();
  }

  @Test
  void listsTheOwnersDataSets() {
    StoredDataset dataset = storedDataset(ALICE);
    when(datasets.page(ALICE, new Paging(0, 20))).thenReturn(List.of(dataset));
    when(datasets.count(ALICE)).thenReturn(1L);

    MvcTestResult result = mvc.get().uri("/api/v1/datasets").header("X-API-Key", "ka").exchange();

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.items[0].name").isEqualTo("mnist");
    assertThat(result).bodyJson().extractingPath("$.totalItems").isEqualTo(1);
  }

  @Test
  void answersOneDataSet() {
    StoredDataset dataset = storedDataset(ALICE);
    when(datasets.find(ALICE, dataset.id())).thenReturn(Optional.of(dataset));

    MvcTestResult result =
        mvc.get().uri("/api/v1/datasets/" + dataset.id()).header("X-API-Key", "ka").exchange();

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.counts.train.1").isEqualTo(5);
  }

  @Test
  void anotherOwnersDataSetIsNotFound() {
    StoredDataset dataset = storedDataset(ALICE);
    when(datasets.find(ALICE, dataset.id())).thenReturn(Optional.of(dataset));

    MvcTestResult result =
        mvc.get().uri("/api/v1/datasets/" + dataset.id()).header("X-API-Key", "kb").exchange();

    assertProblem(result, HttpStatus.NOT_FOUND, "data set " + dataset.id() + " does not exist");
    verify(datasets).find(BOB, dataset.id());
  }

  @Test
  void refusesToDeleteADataSetAnUnfinishedJobUsesWith409() {
    UUID id = UUID.randomUUID();
    when(datasets.delete(ALICE, id))
        .thenReturn(new CatalogRows.Deleted(CatalogRows.Deletion.IN_USE, null));

    MvcTestResult result =
        mvc.delete().uri("/api/v1/datasets/" + id).header("X-API-Key", "ka").exchange();

    assertProblem(result, HttpStatus.CONFLICT, "data set " + id + " is used by a job");
  }

  @Test
  void deletesTheRowAndThenTheBlob() throws IOException {
    String key = blobs.put(Files.createTempFile("dataset", ".zip"));
    UUID id = UUID.randomUUID();
    when(datasets.delete(ALICE, id))
        .thenReturn(new CatalogRows.Deleted(CatalogRows.Deletion.DELETED, key));

    MvcTestResult result =
        mvc.delete().uri("/api/v1/datasets/" + id).header("X-API-Key", "ka").exchange();

    assertThat(result).hasStatus(HttpStatus.NO_CONTENT);
    assertThat(blobs.exists(key)).isFalse();
  }

  @Test
  void deletingAnotherOwnersDataSetIsNotFound() {
    UUID id = UUID.randomUUID();
    when(datasets.delete(BOB, id))
        .thenReturn(new CatalogRows.Deleted(CatalogRows.Deletion.NOT_FOUND, null));

    MvcTestResult result =
        mvc.delete().uri("/api/v1/datasets/" + id).header("X-API-Key", "kb").exchange();

    assertProblem(result, HttpStatus.NOT_FOUND, "data set " + id + " does not exist");
  }

  private void assertNothingStored() throws IOException {
    verify(datasets, never()).insert(any());
    assertThat(CatalogSliceConfig.filesUnder(dataDir.resolve("blobs"))).isZero();
  }

  private static MockMultipartFile idx(String name, byte[] content) {
    return new MockMultipartFile("file", name, "application/octet-stream", content);
  }

  /** 20 images of 6x6, labels alternating 0 and 1. */
  private static byte[] trainImages() {
    return CatalogFixtures.idxImages(20, 6, 6);
  }

  private static byte[] trainLabels() {
    int[] labels = new int[20];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = i % 2;
    }
    return CatalogFixtures.idxLabels(labels);
  }

  private static StoredDataset storedDataset(Owner owner) {
    DatasetSummary summary =
        new DatasetSummary(
            List.of("0", "1"),
            Map.of("train", Map.of("0", 5, "1", 5), "validation", Map.of("0", 1, "1", 1)),
            new InputShape(1, 6, 6),
            SourceKind.IDX_ZIP);
    return new StoredDataset(
        UUID.randomUUID(),
        owner,
        "mnist",
        SourceKind.IDX_ZIP,
        100,
        "cd".repeat(32),
        "00000000-0000-0000-0000-000000000000",
        summary,
        0.1,
        0.1,
        0,
        CatalogSliceConfig.NOW);
  }
}
