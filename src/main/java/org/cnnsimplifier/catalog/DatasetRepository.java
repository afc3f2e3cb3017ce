package org.cnnsimplifier.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.cnnsimplifier.engine.data.DatasetSummary;
import org.cnnsimplifier.engine.data.SourceKind;
import org.cnnsimplifier.system.Owner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/** The {@code dataset} table. Every query names the owner, so no owner reaches another's rows. */
@Repository
class DatasetRepository {
  private static final String COLUMNS =
      "id, owner, name, kind, size_bytes, sha256, blob_key, summary, created_at";

  /** The {@code summary} column: what the engine said at upload, and the split it was told. */
  record Document(DatasetSummary summary, double validationFraction, long seed) {}

  private final JdbcClient jdbc;
  private final ObjectMapper json;

  DatasetRepository(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  void insert(StoredDataset dataset) {
    jdbc.sql("INSERT INTO dataset (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            dataset.id(),
            dataset.owner().name(),
            dataset.name(),
            dataset.kind().name(),
            dataset.sizeBytes(),
            dataset.sha256(),
            dataset.blobKey(),
            json.writeValueAsString(
                new Document(dataset.summary(), dataset.validationFraction(), dataset.seed())),
            CatalogRows.timestamp(dataset.createdAt()))
        .update();
  }

  Optional<StoredDataset> find(Owner owner, UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM dataset WHERE id = ? AND owner = ?")
        .params(id, owner.name())
        .query(this::row)
        .optional();
  }

  List<StoredDataset> page(Owner owner, Paging paging) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM dataset WHERE owner = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")
        .params(owner.name(), paging.size(), paging.offset())
        .query(this::row)
        .list();
  }

  long count(Owner owner) {
    return jdbc.sql("SELECT COUNT(*) FROM dataset WHERE owner = ?")
        .param(owner.name())
        .query(Long.class)
        .single();
  }

  /**
   * Deletes the row unless an unfinished job uses the data set, in one statement so a job queued in
   * between cannot be missed by a separate check.
   */
  CatalogRows.Deleted delete(Owner owner, UUID id) {
    Optional<StoredDataset> dataset = find(owner, id);
    if (dataset.isEmpty()) {
      return new CatalogRows.Deleted(CatalogRows.Deletion.NOT_FOUND, null);
    }
    // The subquery is correlated with the deleted row on purpose: H2 reuses a cached result of
    // an uncorrelated one when the same statement runs again, missing a job's change of state.
    int rows =
        jdbc.sql(
                "DELETE FROM dataset WHERE id = ? AND owner = ? AND NOT EXISTS (SELECT 1 FROM job"
                    + " WHERE job.dataset_id = dataset.id AND job."
                    + CatalogRows.UNFINISHED_JOB
                    + ")")
            .params(id, owner.name())
            .update();
    if (rows == 1) {
      return new CatalogRows.Deleted(CatalogRows.Deletion.DELETED, dataset.get().blobKey());
    }
    // Nothing deleted: a job holds it, or a concurrent delete was first.
    return new CatalogRows.Deleted(
        find(owner, id).isPresent() ? CatalogRows.Deletion.IN_USE : CatalogRows.Deletion.NOT_FOUND,
        null);
  }

  private StoredDataset row(ResultSet rs, int rowNum) throws SQLException {
    Document document = json.readValue(rs.getString("summary"), Document.class);
    return new StoredDataset(
        CatalogRows.uuid(rs, "id"),
        new Owner(rs.getString("owner")),
        rs.getString("name"),
        SourceKind.valueOf(rs.getString("kind")),
        rs.getLong("size_bytes"),
        rs.getString("sha256"),
        rs.getString("blob_key"),
        document.summary(),
        document.validationFraction(),
        document.seed(),
        CatalogRows.instant(rs, "created_at"));
  }
}
