package org.cnnsimplifier.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.cnnsimplifier.support.PostgresTestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/** The database blob store on real PostgreSQL (skipped when there is none). */
class DatabaseBlobStoreTest extends BlobStoreContract {
  private static DataSource dataSource;
  private static JdbcClient jdbc;
  private DatabaseBlobStore store;

  @BeforeAll
  static void migrate() {
    PostgresTestDatabase.require();
    dataSource =
        new DriverManagerDataSource(
            PostgresTestDatabase.url(),
            PostgresTestDatabase.user(),
            PostgresTestDatabase.password());
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration", "classpath:db/vendor/postgresql")
        .load()
        .migrate();
    jdbc = JdbcClient.create(dataSource);
  }

  @BeforeEach
  void createStore() {
    jdbc.sql("DELETE FROM blob_chunk").update();
    jdbc.sql("DELETE FROM blob").update();
    store =
        new DatabaseBlobStore(
            jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
  }

  @Override
  BlobStore store() {
    return store;
  }

  @Test
  void aBlobCutShortByACrashCannotBeReadAndIsDeletedOnceAbandoned() throws IOException {
    // What a writer killed after its first chunk leaves: an incomplete row and one chunk.
    jdbc.sql(
            "INSERT INTO blob (blob_key, complete, created_at, updated_at) VALUES"
                + " ('cut-short', FALSE, CURRENT_TIMESTAMP - INTERVAL '2 hours',"
                + " CURRENT_TIMESTAMP - INTERVAL '2 hours')")
        .update();
    jdbc.sql("INSERT INTO blob_chunk (blob_key, seq, data) VALUES ('cut-short', 0, ?)")
        .param(new byte[] {1, 2, 3})
        .update();
    String whole = store.put(file("whole", random(10, 1)));

    assertThat(store.exists("cut-short")).isFalse();
    assertThatThrownBy(() -> store.open("cut-short")).isInstanceOf(BlobNotFoundException.class);
    assertThat(store.deleteAbandoned(java.time.Duration.ofHours(1))).isEqualTo(1);
    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM blob_chunk WHERE blob_key = 'cut-short'")
                .query(Integer.class)
                .single())
        .isZero();
    assertThat(store.exists(whole)).isTrue();
    assertThat(store.deleteAbandoned(java.time.Duration.ofHours(1))).isZero();
  }

  @Test
  void keepsContentInChunksOfFourMebibytes() throws IOException {
    String key = store.put(file("big", random(2 * DatabaseBlobStore.CHUNK + 1, 8)));

    assertThat(
            jdbc.sql("SELECT COUNT(*) FROM blob_chunk WHERE blob_key = ?")
                .param(key)
                .query(Integer.class)
                .single())
        .isEqualTo(3);
  }

  @Test
  void putDeletesTheLocalFile() throws IOException {
    Path file = file("model.zip", random(100, 9));

    store.put(file);

    assertThat(file).doesNotExist();
  }

  @Test
  void putOfAMissingFileFailsAndStoresNothing() throws IOException {
    Path file = file("gone", random(10, 10));
    java.nio.file.Files.delete(file);

    assertThatThrownBy(() -> store.put(file)).isInstanceOf(IOException.class);
    assertThat(jdbc.sql("SELECT COUNT(*) FROM blob_chunk").query(Integer.class).single()).isZero();
  }
}
