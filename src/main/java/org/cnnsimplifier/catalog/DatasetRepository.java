package org.cnnsimplifier.catalog;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.cnnsimplifier.engine.data.DatasetSummary;
import org.cnnsimplifier.engine.data.SourceKind;
import org.cnnsimplifier.system.Owner;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/** Stored data sets: {@link StoredDataset} records in and out of {@link DatasetEntities}. */
@Component
class DatasetRepository {
  /**
   * The {@code summary} column: what the engine said at upload, and the splits it was told (rows
   * stored before test slices were held out have no testFraction: 0).
   */
  record Document(
      DatasetSummary summary, double validationFraction, double testFraction, long seed) {}

  private final DatasetEntities entities;
  private final ObjectMapper json;

  DatasetRepository(DatasetEntities entities, ObjectMapper json) {
    this.entities = entities;
    this.json = json;
  }

  void insert(StoredDataset dataset) {
    entities.save(
        new DatasetEntity(
            dataset.id(),
            dataset.owner().name(),
            dataset.name(),
            dataset.kind().name(),
            dataset.sizeBytes(),
            dataset.sha256(),
            dataset.blobKey(),
            json.writeValueAsString(
                new Document(
                    dataset.summary(),
                    dataset.validationFraction(),
                    dataset.testFraction(),
                    dataset.seed())),
            dataset.createdAt()));
  }

  Optional<StoredDataset> find(Owner owner, UUID id) {
    return entities.findByIdAndOwner(id, owner.name()).map(this::stored);
  }

  boolean exists(UUID id) {
    return entities.existsById(id);
  }

  List<StoredDataset> page(Owner owner, Paging paging) {
    return entities.findByOwner(owner.name(), paging.newestFirst()).stream()
        .map(this::stored)
        .toList();
  }

  long count(Owner owner) {
    return entities.countByOwner(owner.name());
  }

  /** Deletes the row unless a job refers to it (the foreign key decides). */
  CatalogRows.Deleted delete(Owner owner, UUID id) {
    return CatalogRows.delete(entities, owner, id);
  }

  private StoredDataset stored(DatasetEntity row) {
    Document document = json.readValue(row.summary(), Document.class);
    return new StoredDataset(
        row.getId(),
        new Owner(row.owner()),
        row.name(),
        SourceKind.valueOf(row.kind()),
        row.sizeBytes(),
        row.sha256(),
        row.blobKey(),
        document.summary(),
        document.validationFraction(),
        document.testFraction(),
        document.seed(),
        row.createdAt());
  }
}
