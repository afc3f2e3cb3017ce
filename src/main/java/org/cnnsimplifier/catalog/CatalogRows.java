package org.cnnsimplifier.catalog;

import java.util.Optional;
import java.util.UUID;
import org.cnnsimplifier.system.Owner;
import org.springframework.dao.DataIntegrityViolationException;

/** What the model and data-set tables share: how a delete goes. */
final class CatalogRows {

  /** How a delete went. */
  enum Deletion {
    DELETED,
    NOT_FOUND,
    IN_USE
  }

  /** The outcome of a delete and, when deleted, the blob to delete next. */
  record Deleted(Deletion outcome, String blobKey) {}

  private CatalogRows() {}

  /**
   * Deletes the owner's row. A job that refers to it (foreign keys {@code job_model}, {@code
   * job_dataset}) makes the database refuse: that job may be committing at this very moment, which
   * no check of ours could see, but the database's key lock does.
   */
  static <T extends CatalogEntity> Deleted delete(
      CatalogEntities<T> entities, Owner owner, UUID id) {
    Optional<T> row = entities.findByIdAndOwner(id, owner.name());
    if (row.isEmpty()) {
      return new Deleted(Deletion.NOT_FOUND, null);
    }
    try {
      if (entities.deleteOwned(id, owner.name()) == 1) {
        return new Deleted(Deletion.DELETED, row.get().blobKey());
      }
      // A concurrent delete was first.
      return new Deleted(Deletion.NOT_FOUND, null);
    } catch (DataIntegrityViolationException referenced) {
      return new Deleted(Deletion.IN_USE, null);
    }
  }
}
