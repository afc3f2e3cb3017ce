package org.cnnsimplifier.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.ExportFormats;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.system.Owner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.ObjectMapper;

/** The {@code model} table. Every query names the owner, so no owner reaches another's rows. */
@Repository
class ModelRepository {
  private static final String COLUMNS =
      "id, owner, name, format, size_bytes, sha256, blob_key, summary, created_at, preprocessing";

  /** The {@code summary} column: what the engine said about the model at upload. */
  record Document(
      InputShape inputShape, ArchitectureSummary architecture, ExportFormats exportFormats) {}

  private final JdbcClient jdbc;
  private final ObjectMapper json;

  ModelRepository(JdbcClient jdbc, ObjectMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  void insert(StoredModel model) {
    jdbc.sql("INSERT INTO model (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            model.id(),
            model.owner().name(),
            model.name(),
            model.format().name(),
            model.sizeBytes(),
            model.sha256(),
            model.blobKey(),
            json.writeValueAsString(
                new Document(model.inputShape(), model.architecture(), model.exports())),
            CatalogRows.timestamp(model.createdAt()),
            json.writeValueAsString(model.preprocessing()))
        .update();
  }

  /** Sets the model's preprocessing; false when there is no such model of this owner. */
  boolean updatePreprocessing(Owner owner, UUID id, InputPreprocessing preprocessing) {
    return jdbc.sql("UPDATE model SET preprocessing = ? WHERE id = ? AND owner = ?")
            .params(json.writeValueAsString(preprocessing), id, owner.name())
            .update()
        == 1;
  }

  /** Whether a job that has not finished uses the model. */
  boolean inUse(UUID id) {
    return jdbc.sql("SELECT COUNT(*) FROM job WHERE model_id = ? AND " + CatalogRows.UNFINISHED_JOB)
            .param(id)
            .query(Long.class)
            .single()
        > 0;
  }

  Optional<StoredModel> find(Owner owner, UUID id) {
    return jdbc.sql("SELECT " + COLUMNS + " FROM model WHERE id = ? AND owner = ?")
        .params(id, owner.name())
        .query(this::row)
        .optional();
  }

  List<StoredModel> page(Owner owner, Paging paging) {
    return jdbc.sql(
            "SELECT "
                + COLUMNS
                + " FROM model WHERE owner = ? ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?")
        .params(owner.name(), paging.size(), paging.offset())
        .query(this::row)
        .list();
  }

  long count(Owner owner) {
    return jdbc.sql("SELECT COUNT(*) FROM model WHERE owner = ?")
        .param(owner.name())
        .query(Long.class)
        .single();
  }

  /**
   * Deletes the row unless an unfinished job uses the model, in one statement so a job that is
   * queued in between cannot be missed by a separate check.
   *
   * @return the blob key of the deleted row in {@code deleted}, or why nothing was deleted
   */
  CatalogRows.Deleted delete(Owner owner, UUID id) {
    Optional<StoredModel> model = find(owner, id);
    if (model.isEmpty()) {
      return new CatalogRows.Deleted(CatalogRows.Deletion.NOT_FOUND, null);
    }
    // The subquery is correlated with the deleted row on purpose: H2 reuses a cached result of
    // an uncorrelated one when the same statement runs again, missing a job's change of state.
    int rows =
        jdbc.sql(
                "DELETE FROM model WHERE id = ? AND owner = ? AND NOT EXISTS (SELECT 1 FROM job"
                    + " WHERE job.model_id = model.id AND job."
                    + CatalogRows.UNFINISHED_JOB
                    + ")")
            .params(id, owner.name())
            .update();
    if (rows == 1) {
      return new CatalogRows.Deleted(CatalogRows.Deletion.DELETED, model.get().blobKey());
    }
    // Nothing deleted: a job holds it, or a concurrent delete was first.
    return new CatalogRows.Deleted(
        find(owner, id).isPresent() ? CatalogRows.Deletion.IN_USE : CatalogRows.Deletion.NOT_FOUND,
        null);
  }

  private StoredModel row(ResultSet rs, int rowNum) throws SQLException {
    Document document = json.readValue(rs.getString("summary"), Document.class);
    String preprocessing = rs.getString("preprocessing");
    return new StoredModel(
        CatalogRows.uuid(rs, "id"),
        new Owner(rs.getString("owner")),
        rs.getString("name"),
        ModelFormat.valueOf(rs.getString("format")),
        rs.getLong("size_bytes"),
        rs.getString("sha256"),
        rs.getString("blob_key"),
        document.inputShape(),
        document.architecture(),
        CatalogRows.instant(rs, "created_at"),
        preprocessing == null ? null : json.readValue(preprocessing, InputPreprocessing.class),
        document.exportFormats());
  }
}
