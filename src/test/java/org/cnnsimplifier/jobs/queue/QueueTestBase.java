package org.cnnsimplifier.jobs.queue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.cnnsimplifier.support.PostgresTestDatabase;
import org.cnnsimplifier.support.UploadRows;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A migrated database, a {@link JobQueue} on it without Spring, and the helpers the queue contract
 * tests share. Subclasses say which database; each test starts with empty job tables.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QueueTestBase {
  static final Duration LEASE = Duration.ofSeconds(60);
  static final Duration BACKOFF = Duration.ofSeconds(10);
  static final QueueProperties PROPERTIES =
      new QueueProperties(
          LEASE,
          Duration.ofSeconds(20),
          Duration.ofSeconds(30),
          true,
          3,
          BACKOFF,
          Duration.ofHours(1),
          10,
          0);
  static final Instant LONG_AGO = Instant.parse("2000-01-01T00:00:00Z");
  static final Instant FAR_AHEAD = Instant.parse("2100-01-01T00:00:00Z");

  HikariDataSource dataSource;
  JdbcClient jdbc;
  TransactionTemplate transactions;
  MutableClock clock;
  JobQueue queue;

  /** The database under test. */
  abstract HikariDataSource openDataSource();

  /**
   * PostgreSQL, in a schema of its own: workers of service tests that share the database (their
   * Spring contexts may still be open) must not claim the contract tests' jobs.
   */
  static HikariDataSource postgres() {
    PostgresTestDatabase.require();
    HikariDataSource pool =
        pool(
            PostgresTestDatabase.url(),
            PostgresTestDatabase.user(),
            PostgresTestDatabase.password());
    pool.setSchema(CONTRACT_SCHEMA);
    return pool;
  }

  static final String CONTRACT_SCHEMA = "queue_contract";

  /** The embedded default: an H2 file database in PostgreSQL mode, as in application.yml. */
  static HikariDataSource h2(Path directory) {
    return pool(
        "jdbc:h2:file:"
            + directory.resolve("queue").toAbsolutePath()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
        "sa",
        "");
  }

  private static HikariDataSource pool(String url, String user, String password) {
    HikariDataSource pool = new HikariDataSource();
    pool.setJdbcUrl(url);
    pool.setUsername(user);
    pool.setPassword(password);
    pool.setMaximumPoolSize(8);
    return pool;
  }

  @BeforeAll
  void openDatabase() {
    dataSource = openDataSource();
    var flyway =
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:db/migration", vendorMigrations(dataSource));
    if (CONTRACT_SCHEMA.equals(dataSource.getSchema())) {
      flyway.schemas(CONTRACT_SCHEMA);
    }
    flyway.load().migrate();
    jdbc = JdbcClient.create(dataSource);
    transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    clock = new MutableClock();
    queue = queue(PROPERTIES);
    jdbc.sql("DELETE FROM job_event").update();
    jdbc.sql("DELETE FROM job").update();
    jdbc.sql("DELETE FROM model WHERE id = :id").param("id", MODEL).update();
    jdbc.sql("DELETE FROM dataset WHERE id = :id").param("id", DATASET).update();
    // Jobs refer to a model and a data set by foreign key.
    UploadRows.insert(jdbc, MODEL, DATASET);
  }

  /** The model and data set every test job refers to. */
  static final UUID MODEL = UUID.fromString("00000000-0000-0000-0000-00000000000a");

  static final UUID DATASET = UUID.fromString("00000000-0000-0000-0000-00000000000b");

  /** The vendor-specific migrations Spring Boot adds for this database. */
  static String vendorMigrations(javax.sql.DataSource dataSource) {
    try (var connection = dataSource.getConnection()) {
      String product = connection.getMetaData().getDatabaseProductName();
      return "classpath:db/vendor/" + (product.equals("PostgreSQL") ? "postgresql" : "h2");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterAll
  void closeDatabase() {
    if (dataSource != null) {
      dataSource.close();
    }
  }

  @BeforeEach
  void emptyTables() {
    jdbc.sql("DELETE FROM job_event").update();
    jdbc.sql("DELETE FROM job").update();
  }

  JobQueue queue(QueueProperties properties) {
    return new JobQueue(jdbc, transactions, dataSource, clock, properties);
  }

  static NewJob newJob(String owner, int priority) {
    return new NewJob(owner, priority, 3, MODEL, DATASET, "{\"layers\":[]}", null, null);
  }

  Job enqueue(String owner) {
    return enqueue(owner, 0);
  }

  Job enqueue(String owner, int priority) {
    return queue.enqueue(newJob(owner, priority)).job();
  }

  ClaimedJob claim(String worker) {
    return queue.claim(worker, LEASE).orElseThrow(() -> new AssertionError("nothing to claim"));
  }

  /** The row, whoever owns it. */
  Job row(UUID id) {
    return jdbc.sql("SELECT * FROM job WHERE id = :id")
        .param("id", id)
        .query(JobRows::job)
        .single();
  }

  List<String> eventTypes(UUID id) {
    return jdbc.sql("SELECT type FROM job_event WHERE job_id = :id ORDER BY id")
        .param("id", id)
        .query(String.class)
        .list();
  }

  /** As if the worker had stopped renewing its lease long ago. */
  void expireLease(UUID id) {
    jdbc.sql("UPDATE job SET lease_expires_at = :at WHERE id = :id")
        .param("at", JobRows.timestamp(LONG_AGO))
        .param("id", id)
        .update();
  }

  void setRunAt(UUID id, Instant at) {
    jdbc.sql("UPDATE job SET run_at = :at WHERE id = :id")
        .param("at", JobRows.timestamp(at))
        .param("id", id)
        .update();
  }

  Instant databaseNow() {
    return jdbc.sql("SELECT CURRENT_TIMESTAMP").query(OffsetDateTime.class).single().toInstant();
  }
}
