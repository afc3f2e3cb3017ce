package org.cnnsimplifier.catalog;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code dataset}. */
@Entity
@Table(name = "dataset")
class DatasetEntity extends CatalogEntity {
  private String kind;

  protected DatasetEntity() {}

  DatasetEntity(
      UUID id,
      String owner,
      String name,
      String kind,
      long sizeBytes,
      String sha256,
      String blobKey,
      String summary,
      Instant createdAt) {
    super(id, owner, name, sizeBytes, sha256, blobKey, summary, createdAt);
    this.kind = kind;
  }

  String kind() {
    return kind;
  }
}
