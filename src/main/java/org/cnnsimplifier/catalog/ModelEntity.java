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

  /** The input preprocessing as JSON; null for models stored before it existed (defaults). */
  private String preprocessing;

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
      Instant createdAt,
      String preprocessing) {
    super(id, owner, name, sizeBytes, sha256, blobKey, summary, createdAt);
    this.format = format;
    this.preprocessing = preprocessing;
  }

  String format() {
    return format;
  }

  String preprocessing() {
    return preprocessing;
  }
}
