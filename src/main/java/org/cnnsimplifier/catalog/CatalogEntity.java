package org.cnnsimplifier.catalog;

import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Transient;
import java.time.Instant;
import java.util.UUID;
import org.springframework.data.domain.Persistable;

/**
 * What a model row and a data-set row share: the id given at upload (so saving one is an insert,
 * never a merge that reads first), the owner, the stored file's facts, and the engine's summary as
 * JSON.
 */
@MappedSuperclass
abstract class CatalogEntity implements Persistable<UUID> {
  @Id private UUID id;
  private String owner;
  private String name;
  private long sizeBytes;
  private String sha256;
  private String blobKey;
  private String summary;
  private Instant createdAt;
  @Transient private boolean fresh;

  protected CatalogEntity() {}

  CatalogEntity(
      UUID id,
      String owner,
      String name,
      long sizeBytes,
      String sha256,
      String blobKey,
      String summary,
      Instant createdAt) {
    this.id = id;
    this.owner = owner;
    this.name = name;
    this.sizeBytes = sizeBytes;
    this.sha256 = sha256;
    this.blobKey = blobKey;
    this.summary = summary;
    this.createdAt = createdAt;
    this.fresh = true;
  }

  @PostLoad
  @PostPersist
  void stored() {
    fresh = false;
  }

  @Override
  public UUID getId() {
    return id;
  }

  @Override
  public boolean isNew() {
    return fresh;
  }

  String owner() {
    return owner;
  }

  String name() {
    return name;
  }

  long sizeBytes() {
    return sizeBytes;
  }

  String sha256() {
    return sha256;
  }

  String blobKey() {
    return blobKey;
  }

  String summary() {
    return summary;
  }

  Instant createdAt() {
    return createdAt;
  }
}
