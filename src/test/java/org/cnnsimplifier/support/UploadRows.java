package org.cnnsimplifier.support;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Catalog rows for tests that write jobs straight to the database: jobs refer to them by key. */
public final class UploadRows {
  private UploadRows() {}

  /**
   * A model and a data set of owner {@code alice} with the given ids (their blobs do not exist).
   */
  public static void insert(JdbcClient jdbc, UUID model, UUID dataset) {
    String row =
        " (id, owner, name, %s, size_bytes, sha256, blob_key, summary, created_at)"
            + " VALUES (:id, 'alice', 'x', 'X', 0, 'x', 'x', '{}', CURRENT_TIMESTAMP)";
    jdbc.sql("INSERT INTO model" + row.formatted("format")).param("id", model).update();
    jdbc.sql("INSERT INTO dataset" + row.formatted("kind")).param("id", dataset).update();
  }
}
