package org.cnnsimplifier.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.util.UUID;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.support.PostgresTestDatabase;
import org.cnnsimplifier.support.UploadRows;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Jobs stored before the recommended retraining defaults keep the plan they were made with once the
 * database is migrated: on the embedded H2 and on PostgreSQL, a job written at schema 10 with the
 * old defaults resolves after migration to exactly the legacy retraining, and a job that named its
 * settings is left as it was.
 */
class RetrainingDefaultsMigrationTest {
  /** A spec as the service stored it before: every field resolved, distillation and budget null. */
  private static final String OLD_SPEC =
      """
      {"modelId":"%s","datasetId":"%s","layers":[],"criterion":"L1","strategy":"PROGRESSIVE",
       "policy":{"type":"ratio","ratio":0.5},
       "retraining":{"epochs":null,"batchSize":64,"learningRate":0.001,"maxBatchesPerEpoch":0,
        "budget":null,"optimizer":"ADAM","weightDecay":0.0,"momentum":0.0,"schedule":"COSINE",
        "warmupBatches":0,"split":"EVEN","fineTuneShare":0.0,"carryOptimizerState":false,
        "distillation":null,"augmentation":null,"earlyStopping":null,
        "checkpointEveryBatches":500},
       "seed":42}""";

  /** A spec that named its retraining: nothing to pin. */
  private static final String NAMED_SPEC =
      """
      {"modelId":"%s","datasetId":"%s","layers":[],"criterion":"L1","strategy":"ONE_SHOT",
       "policy":{"type":"ratio","ratio":0.5},
       "retraining":{"budget":{"batches":100},"schedule":"CONSTANT","carryOptimizerState":true,
        "distillation":{"alpha":0.3,"temperature":2.0}},
       "seed":42}""";

  private static final UUID MODEL = UUID.fromString("00000000-0000-0000-0000-0000000000a1");
  private static final UUID DATASET = UUID.fromString("00000000-0000-0000-0000-0000000000b1");

  @Test
  void embeddedDatabase(@TempDir Path dir) {
    try (HikariDataSource h2 =
        pool(
            "jdbc:h2:file:"
                + dir.resolve("db")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH")) {
      h2.setUsername("sa");
      check(h2, "classpath:db/vendor/h2", null);
    }
  }

  @Test
  void postgres() {
    PostgresTestDatabase.require();
    try (HikariDataSource pg = pool(PostgresTestDatabase.url())) {
      pg.setUsername(PostgresTestDatabase.user());
      pg.setPassword(PostgresTestDatabase.password());
      check(pg, "classpath:db/vendor/postgresql", "spec_migration");
    }
  }

  private static HikariDataSource pool(String url) {
    HikariDataSource pool = new HikariDataSource();
    pool.setJdbcUrl(url);
    pool.setMaximumPoolSize(2);
    return pool;
  }

  private static void check(HikariDataSource db, String vendor, String schema) {
    var config =
        Flyway.configure()
            .dataSource(db)
            .locations("classpath:db/migration", vendor)
            .cleanDisabled(false);
    if (schema != null) {
      config.schemas(schema);
      db.setSchema(schema);
    }
    config.load().clean();
    config.target("10").load().migrate();
    JdbcClient jdbc = JdbcClient.create(db);
    UploadRows.insert(jdbc, MODEL, DATASET);
    UUID old = insertJob(jdbc, OLD_SPEC.formatted(MODEL, DATASET));
    String named = NAMED_SPEC.formatted(MODEL, DATASET);
    UUID kept = insertJob(jdbc, named);

    config.target("latest").load().migrate();

    JsonMapper json = JsonMapper.builder().build();
    JobSpec pinned = json.readValue(spec(jdbc, old), JobSpec.class);
    Retraining legacy =
        new Retraining(1, 64, 1e-3, 0)
            .withSchedule(new Retraining.Schedule(Retraining.Schedule.Shape.COSINE, 0));
    assertThat(JobPlans.toPlan(pinned).retraining()).isEqualTo(legacy);
    assertThat(spec(jdbc, kept)).isEqualTo(named);
  }

  private static UUID insertJob(JdbcClient jdbc, String spec) {
    UUID id = UUID.randomUUID();
    jdbc.sql(
            "INSERT INTO job (id, owner, state, run_at, model_id, dataset_id, spec, created_at,"
                + " updated_at) VALUES (:id, 'alice', 'QUEUED', CURRENT_TIMESTAMP, :model,"
                + " :dataset, :spec, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
        .param("id", id)
        .param("model", MODEL)
        .param("dataset", DATASET)
        .param("spec", spec)
        .update();
    return id;
  }

  private static String spec(JdbcClient jdbc, UUID id) {
    return jdbc.sql("SELECT spec FROM job WHERE id = :id")
        .param("id", id)
        .query(String.class)
        .single();
  }
}
