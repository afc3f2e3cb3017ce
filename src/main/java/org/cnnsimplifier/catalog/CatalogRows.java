package org.cnnsimplifier.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** What the model and data-set tables share: timestamps, ids and the jobs that use a row. */
final class CatalogRows {
  /** Jobs in these states are done with their model and data set. */
  static final String UNFINISHED_JOB = "state NOT IN ('SUCCEEDED', 'FAILED', 'CANCELLED')";

  /** How a delete went. */
  enum Deletion {
    DELETED,
    NOT_FOUND,
    IN_USE
  }

  /** The outcome of a delete and, when deleted, the blob to delete next. */
  record Deleted(Deletion outcome, String blobKey) {}

  private CatalogRows() {}

  static OffsetDateTime timestamp(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  static UUID uuid(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, UUID.class);
  }
}
