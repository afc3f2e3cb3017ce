package org.cnnsimplifier.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnnsimplifier.catalog.ModelControllerTest.assertProblem;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import onnx.Onnx;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.engine.model.OnnxFixtures;
import org.cnnsimplifier.engine.model.OnnxRuntimeRun;
import org.cnnsimplifier.storage.BlobStore;
import org.cnnsimplifier.system.Owner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * ONNX uploads, input preprocessing set at upload and changed later, and downloads in another
 * format: the real upload pipeline, engine and blob store, the repository mocked.
 */
@WebMvcTest({ModelController.class, ModelPreprocessingController.class})
@Import(CatalogSliceConfig.class)
class ModelFormatsControllerTest {
  private static final Owner ALICE = new Owner("alice");
  private static Path dataDir;

  @Autowired MockMvcTester mvc;
  @Autowired BlobStore blobs;
  @MockitoBean ModelRepository models;
  @MockitoBean DatasetRepository datasets;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    dataDir = CatalogSliceConfig.register(registry);
    registry.add("cnn.uploads.max-model-uncompressed-bytes", () -> "100KB");
  }

  @AfterEach
  void noTemporaryFileIsLeft() throws IOException {
    assertThat(CatalogSliceConfig.entriesUnder(dataDir.resolve("tmp"))).isZero();
  }

  @Test
  void storesAnOnnxModelWithThePreprocessingGivenAndTheFormatsItCanBeWrittenIn()
      throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/models?mean=0.485,0.456,0.406&std=0.229,0.224,0.225")
            .header("X-API-Key", "ka")
            .multipart()
            .file(onnxPart("vgg11.onnx"))
            .exchange();

    assertThat(result).hasStatus(HttpStatus.CREATED);
    assertThat(result).bodyJson().extractingPath("$.format").isEqualTo("ONNX");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.preprocessing.mean")
        .asArray()
        .containsExactly(0.485, 0.456, 0.406);
    assertThat(result).bodyJson().extractingPath("$.preprocessing.channelOrder").isEqualTo("RGB");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.exportFormats")
        .asArray()
        .containsExactly("DL4J_ZIP", "KERAS_H5", "ONNX");
    ArgumentCaptor<StoredModel> stored = ArgumentCaptor.forClass(StoredModel.class);
    verify(models).insert(stored.capture());
    assertThat(stored.getValue().preprocessing().std()).containsExactly(0.229, 0.224, 0.225);
    assertThat(stored.getValue().preprocessing().scale()).isEqualTo(1.0 / 255);
    blobs.delete(stored.getValue().blobKey());
  }

  @Test
  void saysWhichFormatsAModelCannotBeWrittenInAndWhy() throws IOException {
    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/models")
            .header("X-API-Key", "ka")
            .multipart()
            .file(onnxPart("ops_cnn.onnx"))
            .exchange();

    assertThat(result).hasStatus(HttpStatus.CREATED);
    assertThat(result)
        .bodyJson()
        .extractingPath("$.exportFormats")
        .asArray()
        .containsExactly("DL4J_ZIP", "ONNX");
    assertThat(result)
        .bodyJson()
        .extractingPath("$.exportUnavailable.KERAS_H5")
        .asString()
        .contains("layer 'hardsigmoid'");
    ArgumentCaptor<StoredModel> stored = ArgumentCaptor.forClass(StoredModel.class);
    verify(models).insert(stored.capture());
    blobs.delete(stored.getValue().blobKey());
  }

  @Test
  void refusesAnOnnxModelLargerThanTheServiceCanLoadWith422() throws IOException {
    // This test allows 100 KB of model in memory: a valid header followed by 200 KB.
    byte[] big = new byte[200 * 1024];
    System.arraycopy(Files.readAllBytes(OnnxFixtures.file("vgg11.onnx")), 0, big, 0, 1024);

    MvcTestResult result =
        mvc.post()
            .uri("/api/v1/models?name=big.onnx")
            .header("X-API-Key", "ka")
            .contentType(MediaType.APPLICATION_OCTET_STREAM)
            .content(big)
            .exchange();

    assertProblem(
        result, HttpStatus.UNPROCESSABLE_CONTENT, "more than this service can load into memory");
    verify(models, never()).insert(any());
  }

  @Test
  void refusesMalformedPreprocessingParametersWith400NamingThem() throws IOException {
    MvcTestResult malformed =
        mvc.post()
            .uri("/api/v1/models?scale=abc&channelOrder=RBG")
            .header("X-API-Key", "ka")
            .multipart()
            .file(onnxPart("vgg11.onnx"))
            .exchange();
    MvcTestResult unfitting =
        mvc.post()
            .uri("/api/v1/models?mean=0.5,0.5")
            .header("X-API-Key", "ka")
            .multipart()
            .file(onnxPart("vgg11.onnx"))
            .exchange();

    assertProblem(malformed, HttpStatus.BAD_REQUEST, "scale=must be a number or a fraction");
    assertProblem(malformed, HttpStatus.BAD_REQUEST, "channelOrder=must be RGB or BGR");
    assertProblem(
        unfitting, HttpStatus.BAD_REQUEST, "mean has 2 values but the model takes 3 channel(s)");
    verify(models, never()).insert(any());
  }

  @Test
  void downloadsAKerasUploadAsOnnxThatOnnxRuntimeRunsWithItsPreprocessing() throws Exception {
    InputPreprocessing caffe =
        new InputPreprocessing(
            1,
            List.of(103.939, 116.779, 123.68),
            List.of(1.0),
            InputPreprocessing.ChannelOrder.BGR);
    StoredModel model =
        stored(
                keras("sequential_cnn.h5"),
                "seq.h5",
                ModelFormat.KERAS_H5,
                new InputShape(3, 10, 10))
            .withPreprocessing(caffe);
    when(models.find(ALICE, model.id())).thenReturn(Optional.of(model));

    MvcTestResult result = content(model, "onnx");

    assertThat(result).hasStatusOk().hasContentType(MediaType.APPLICATION_OCTET_STREAM);
    assertThat(result.getResponse().getHeader(HttpHeaders.CONTENT_DISPOSITION))
        .isEqualTo("attachment; filename=\"seq.onnx\"");
    byte[] onnx = result.getResponse().getContentAsByteArray();
    assertThat(Onnx.ModelProto.parseFrom(onnx).getMetadataPropsList())
        .anySatisfy(p -> assertThat(p.getValue()).isEqualTo("BGR"));
    var images = OnnxFixtures.images(2, 3, 10, 10);
    CnnModel original = ModelFiles.read(keras("sequential_cnn.h5"));
    assertThat(
            OnnxFixtures.maxDifference(OnnxRuntimeRun.run(onnx, images), original.output(images)))
        .isLessThan(1e-5);
    blobs.delete(model.blobKey());
  }

  @Test
  void downloadsAnOnnxUploadAsKerasAndAsTheFileUploaded() throws Exception {
    Path upload = OnnxFixtures.file("vgg11.onnx");
    StoredModel model = aliceHasOnnx("vgg11", 64);

    MvcTestResult keras = content(model, "keras");
    MvcTestResult asUploaded = content(model, null);

    assertThat(keras).hasStatusOk().hasContentType("application/x-hdf5");
    Path file = Files.write(dataDir.resolve("vgg.h5"), keras.getResponse().getContentAsByteArray());
    assertThat(ModelFiles.read(file).numParams()).isEqualTo(ModelFiles.read(upload).numParams());
    Files.delete(file);
    assertThat(asUploaded).hasStatusOk().hasContentType(MediaType.APPLICATION_OCTET_STREAM);
    assertThat(asUploaded.getResponse().getContentAsByteArray())
        .isEqualTo(Files.readAllBytes(upload));
    blobs.delete(model.blobKey());
  }

  @Test
  void refusesAFormatTheModelHasNoCounterpartInWith422AndLeavesNothingBehind() throws Exception {
    StoredModel model = aliceHasOnnx("ops_cnn", 12);

    assertProblem(content(model, "keras"), HttpStatus.UNPROCESSABLE_CONTENT, "layer 'hardsigmoid'");
    assertProblem(content(model, "tflite"), HttpStatus.BAD_REQUEST, "use one of dl4j, keras, onnx");
    blobs.delete(model.blobKey());
  }

  @Test
  void changesThePreprocessingOfAModel() throws Exception {
    StoredModel model = aliceHasOnnx("vgg11", 64);
    when(models.updatePreprocessing(eq(ALICE), eq(model.id()), any())).thenReturn(true);

    MvcTestResult result = put(model, "{\"mean\":[0.5],\"std\":[0.25],\"channelOrder\":\"BGR\"}");

    assertThat(result).hasStatusOk();
    assertThat(result).bodyJson().extractingPath("$.preprocessing.channelOrder").isEqualTo("BGR");
    verify(models)
        .updatePreprocessing(
            ALICE,
            model.id(),
            new InputPreprocessing(
                1.0 / 255, List.of(0.5), List.of(0.25), InputPreprocessing.ChannelOrder.BGR));
    blobs.delete(model.blobKey());
  }

  @Test
  void refusesToChangeThePreprocessingWhileAJobUsesTheModelOrWhenItDoesNotFit() throws Exception {
    StoredModel model = aliceHasOnnx("vgg11", 64);
    when(models.inUse(model.id())).thenReturn(true);

    assertProblem(
        put(model, "{\"std\":[0.5]}"), HttpStatus.CONFLICT, "used by a job that has not finished");
    assertProblem(
        put(model, "{\"std\":[0]}"), HttpStatus.BAD_REQUEST, "std values must be positive");
    verify(models, never()).updatePreprocessing(any(), any(), any());
    blobs.delete(model.blobKey());
  }

  private MvcTestResult content(StoredModel model, String format) {
    String query = format == null ? "" : "?format=" + format;
    return mvc.get()
        .uri("/api/v1/models/" + model.id() + "/content" + query)
        .header("X-API-Key", "ka")
        .exchange();
  }

  private MvcTestResult put(StoredModel model, String body) {
    return mvc.put()
        .uri("/api/v1/models/" + model.id() + "/preprocessing")
        .header("X-API-Key", "ka")
        .contentType(MediaType.APPLICATION_JSON)
        .content(body)
        .exchange();
  }

  /** Alice's stored model from an ONNX fixture of size x size images. */
  private StoredModel aliceHasOnnx(String fixture, int size) throws IOException {
    StoredModel model =
        stored(
            OnnxFixtures.file(fixture + ".onnx"),
            fixture + ".onnx",
            ModelFormat.ONNX,
            new InputShape(3, size, size));
    when(models.find(ALICE, model.id())).thenReturn(Optional.of(model));
    return model;
  }

  private StoredModel stored(Path file, String name, ModelFormat format, InputShape shape)
      throws IOException {
    // The blob store takes the file it is given: give it a copy.
    Path copy =
        Files.copy(file, Files.createTempFile("model", name), StandardCopyOption.REPLACE_EXISTING);
    String key = blobs.put(copy);
    Files.deleteIfExists(copy);
    return new StoredModel(
        UUID.randomUUID(),
        ALICE,
        name,
        format,
        Files.size(file),
        "ab".repeat(32),
        key,
        shape,
        new ArchitectureSummary(List.of(), 0, 0),
        CatalogSliceConfig.NOW);
  }

  private static MockMultipartFile onnxPart(String name) throws IOException {
    return new MockMultipartFile(
        "file", name, "application/octet-stream", Files.readAllBytes(OnnxFixtures.file(name)));
  }

  private static Path keras(String name) throws Exception {
    return Path.of(ModelFormatsControllerTest.class.getResource("/keras/" + name).toURI());
  }
}
