package org.cnnsimplifier.catalog;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code model}. */
@Entity
@Table(name = "model")
class ModelEntity extends CatalogEntity {
  private String format;

  protected ModelEntity() {}

  ModelEntity(
      UUID id,
      String owner,
      String name,
      String format,
      long sizeBytes,
      String sha256,
      String blobKey,
      String summary,
      Instant createdAt) {
    super(id, owner, name, sizeBytes, sha256, blobKey, summary, createdAt);
    this.format = format;
  }

  String format() {
    return format;
  }
}
