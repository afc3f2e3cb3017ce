package org.cnnsimplifier.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cnnsimplifier.engine.data.DatasetSummary;
import org.cnnsimplifier.engine.data.SourceKind;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.ExportFormats;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.LayerSummary;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.system.Owner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.data.jpa.test.autoconfigure.DataJpaTest;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** The repositories on the embedded default database: H2 in PostgreSQL mode, through JPA. */
@DataJpaTest(
    properties =
        "spring.datasource.url=jdbc:h2:mem:catalog;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
            + "DEFAULT_NULL_ORDERING=HIGH")
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@ImportAutoConfiguration(JacksonAutoConfiguration.class)
@Import({ModelRepository.class, DatasetRepository.class})
// Each call commits, as in the service: the job rows these tests insert by SQL must see the models.
@Transactional(propagation = Propagation.NOT_SUPPORTED)
class CatalogRepositoriesH2Test {
  private static final Owner ALICE = new Owner("alice");
  private static final Owner BOB = new Owner("bob");
  private static final Instant T0 = Instant.parse("2025-01-31T10:15:30.123456Z");

  @Autowired ModelRepository models;
  @Autowired DatasetRepository datasets;
  @Autowired JdbcClient jdbc;

  @BeforeEach
  void emptyTables() {
    jdbc.sql("DELETE FROM job").update();
    jdbc.sql("DELETE FROM model").update();
    jdbc.sql("DELETE FROM dataset").update();
  }

  @Test
  void readsBackAModelAsStoredForItsOwnerOnly() {
    StoredModel model = model(ALICE, T0);

    models.insert(model);

    assertThat(models.find(ALICE, model.id())).contains(model);
    assertThat(models.find(BOB, model.id())).isEmpty();
  }

  @Test
  void keepsAModelsPreprocessingAndExportFormatsAndChangesThePreprocessing() {
    InputPreprocessing torch =
        new InputPreprocessing(
            1.0 / 255,
            List.of(0.485, 0.456, 0.406),
            List.of(0.229, 0.224, 0.225),
            InputPreprocessing.ChannelOrder.RGB);
    StoredModel model =
        new StoredModel(
            UUID.randomUUID(),
            ALICE,
            "net.onnx",
            ModelFormat.ONNX,
            1234,
            "ab".repeat(32),
            UUID.randomUUID().toString(),
            new InputShape(3, 28, 28),
            new ArchitectureSummary(List.of(), 0, 0),
            T0,
            torch,
            new ExportFormats(
                List.of(ModelFormat.DL4J_ZIP, ModelFormat.ONNX),
                Map.of(ModelFormat.KERAS_H5, "layer 'x' (Foo) cannot be written as Keras")));
    models.insert(model);
    InputPreprocessing caffe =
        new InputPreprocessing(
            1,
            List.of(103.939, 116.779, 123.68),
            List.of(1.0),
            InputPreprocessing.ChannelOrder.BGR);

    assertThat(models.find(ALICE, model.id())).contains(model);
    assertThat(models.updatePreprocessing(BOB, model.id(), caffe)).isFalse();
    assertThat(models.updatePreprocessing(ALICE, model.id(), caffe)).isTrue();
    assertThat(models.find(ALICE, model.id())).contains(model.withPreprocessing(caffe));
    assertThat(models.inUse(model.id())).isFalse();
  }

  @Test
  void modelsStoredBeforePreprocessingExistedHaveTheDefault() {
    StoredModel model = model(ALICE, T0);
    models.insert(model);
    jdbc.sql("UPDATE model SET preprocessing = NULL WHERE id = ?").param(model.id()).update();

    assertThat(models.find(ALICE, model.id()).orElseThrow().preprocessing())
        .isEqualTo(InputPreprocessing.defaults());
  }

  @Test
  void readsBackADataSetAsStoredForItsOwnerOnly() {
    StoredDataset dataset = dataset(ALICE);

    datasets.insert(dataset);

    assertThat(datasets.find(ALICE, dataset.id())).contains(dataset);
    assertThat(datasets.find(BOB, dataset.id())).isEmpty();
  }

  @Test
  void pagesNewestFirstAndCountsPerOwner() {
    StoredModel oldest = model(ALICE, T0);
    StoredModel middle = model(ALICE, T0.plusSeconds(1));
    StoredModel newest = model(ALICE, T0.plusSeconds(2));
    List.of(middle, oldest, newest, model(BOB, T0)).forEach(models::insert);

    assertThat(models.page(ALICE, new Paging(0, 2))).containsExactly(newest, middle);
    assertThat(models.page(ALICE, new Paging(1, 2))).containsExactly(oldest);
    assertThat(models.count(ALICE)).isEqualTo(3);
    assertThat(models.count(BOB)).isEqualTo(1);
  }

  @Test
  void deletesOnlyWhenNoJobRefersToIt() {
    StoredModel model = model(ALICE, T0);
    StoredDataset dataset = dataset(ALICE);
    models.insert(model);
    datasets.insert(dataset);
    UUID job = UUID.randomUUID();
    OffsetDateTime now = OffsetDateTime.now();
    jdbc.sql(
            "INSERT INTO job (id, owner, state, run_at, model_id, dataset_id, spec, created_at,"
                + " updated_at) VALUES (?, 'alice', 'QUEUED', ?, ?, ?, '{}', ?, ?)")
        .params(job, now, model.id(), dataset.id(), now, now)
        .update();

    assertThat(models.delete(BOB, model.id()).outcome()).isEqualTo(CatalogRows.Deletion.NOT_FOUND);
    assertThat(models.delete(ALICE, model.id()).outcome()).isEqualTo(CatalogRows.Deletion.IN_USE);
    assertThat(models.inUse(model.id())).isTrue();
    assertThat(datasets.delete(ALICE, dataset.id()).outcome())
        .isEqualTo(CatalogRows.Deletion.IN_USE);

    jdbc.sql("UPDATE job SET state = 'CANCELLED' WHERE id = ?").param(job).update();
    assertThat(models.delete(ALICE, model.id()).outcome())
        .as("an ended job still refers to its model")
        .isEqualTo(CatalogRows.Deletion.IN_USE);

    jdbc.sql("DELETE FROM job WHERE id = ?").param(job).update();
    assertThat(models.delete(ALICE, model.id()))
        .isEqualTo(new CatalogRows.Deleted(CatalogRows.Deletion.DELETED, model.blobKey()));
    assertThat(datasets.delete(ALICE, dataset.id()))
        .isEqualTo(new CatalogRows.Deleted(CatalogRows.Deletion.DELETED, dataset.blobKey()));
    assertThat(models.find(ALICE, model.id())).isEmpty();
  }

  private static StoredModel model(Owner owner, Instant createdAt) {
    LayerSummary conv =
        new LayerSummary(
            "conv1",
            "Convolution",
            List.of(1L, 28L, 28L),
            List.of(8L, 26L, 26L),
            80,
            97344,
            8,
            true,
            null);
    LayerSummary out =
        new LayerSummary(
            "out",
            "Output",
            List.of(5408L),
            List.of(10L),
            54090,
            108160,
            null,
            false,
            "the output layer is never pruned");
    return new StoredModel(
        UUID.randomUUID(),
        owner,
        "net.zip",
        ModelFormat.KERAS_H5,
        1234,
        "ab".repeat(32),
        UUID.randomUUID().toString(),
        new InputShape(1, 28, 28),
        new ArchitectureSummary(List.of(conv, out), 54170, 205504),
        createdAt);
  }

  private static StoredDataset dataset(Owner owner) {
    DatasetSummary summary =
        new DatasetSummary(
            List.of("cat", "dog"),
            Map.of(
                "train", Map.of("cat", 8, "dog", 9),
                "validation", Map.of("cat", 1, "dog", 1),
                "test", Map.of("cat", 2, "dog", 0)),
            new InputShape(3, 8, 8),
            SourceKind.IMAGE_FOLDERS_ZIP,
            true);
    return new StoredDataset(
        UUID.randomUUID(),
        owner,
        "pets.zip",
        SourceKind.IMAGE_FOLDERS_ZIP,
        999,
        "cd".repeat(32),
        UUID.randomUUID().toString(),
        summary,
        0.1,
        0.2,
        7,
        T0);
  }
}
