package org.cnnsimplifier.catalog;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.ExportFormats;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.system.Owner;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/** Stored models: {@link StoredModel} records in and out of {@link ModelEntities}. */
@Component
class ModelRepository {
  /** The {@code summary} column: what the engine said about the model at upload. */
  record Document(
      InputShape inputShape, ArchitectureSummary architecture, ExportFormats exportFormats) {}

  private final ModelEntities entities;
  private final ObjectMapper json;

  ModelRepository(ModelEntities entities, ObjectMapper json) {
    this.entities = entities;
    this.json = json;
  }

  void insert(StoredModel model) {
    entities.save(
        new ModelEntity(
            model.id(),
            model.owner().name(),
            model.name(),
            model.format().name(),
            model.sizeBytes(),
            model.sha256(),
            model.blobKey(),
            json.writeValueAsString(
                new Document(model.inputShape(), model.architecture(), model.exports())),
            model.createdAt(),
            json.writeValueAsString(model.preprocessing())));
  }

  /** Sets the model's preprocessing; false when there is no such model of this owner. */
  boolean updatePreprocessing(Owner owner, UUID id, InputPreprocessing preprocessing) {
    return entities.updatePreprocessing(id, owner.name(), json.writeValueAsString(preprocessing))
        == 1;
  }

  /** Whether a job that has not finished uses the model. */
  boolean inUse(UUID id) {
    return entities.unfinishedJobs(id) > 0;
  }

  Optional<StoredModel> find(Owner owner, UUID id) {
    return entities.findByIdAndOwner(id, owner.name()).map(this::stored);
  }

  List<StoredModel> page(Owner owner, Paging paging) {
    return entities.findByOwner(owner.name(), paging.newestFirst()).stream()
        .map(this::stored)
        .toList();
  }

  long count(Owner owner) {
    return entities.countByOwner(owner.name());
  }

  /**
   * Deletes the row unless a job refers to it; the foreign key decides, so a job created at the
   * same moment cannot be missed.
   *
   * @return the blob key of the deleted row in {@code deleted}, or why nothing was deleted
   */
  CatalogRows.Deleted delete(Owner owner, UUID id) {
    return CatalogRows.delete(entities, owner, id);
  }

  private StoredModel stored(ModelEntity row) {
    Document document = json.readValue(row.summary(), Document.class);
    return new StoredModel(
        row.getId(),
        new Owner(row.owner()),
        row.name(),
        ModelFormat.valueOf(row.format()),
        row.sizeBytes(),
        row.sha256(),
        row.blobKey(),
        document.inputShape(),
        document.architecture(),
        row.createdAt(),
        row.preprocessing() == null
            ? null
            : json.readValue(row.preprocessing(), InputPreprocessing.class),
        document.exportFormats());
  }
}
