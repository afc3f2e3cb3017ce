package org.cnnsimplifier.storage;

import java.io.IOException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Chooses the blob store from {@code cnn.blobs.store}. */
@Configuration
@EnableConfigurationProperties(StorageProperties.class)
class StorageConfig {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(StorageConfig.class);

  /** Database blobs whose writer died mid-way, deleted when untouched for an hour. */
  @org.springframework.scheduling.annotation.Scheduled(
      fixedDelayString = "${cnn.blobs.sweep-interval:10m}",
      initialDelayString = "${cnn.blobs.sweep-interval:10m}")
  void deleteAbandonedBlobs() {
    if (store instanceof DatabaseBlobStore database) {
      try {
        int deleted = database.deleteAbandoned(java.time.Duration.ofHours(1));
        if (deleted > 0) {
          log.info("deleted {} blob(s) whose writer stopped before completing them", deleted);
        }
      } catch (org.springframework.dao.DataAccessException e) {
        log.warn("could not look for abandoned blobs: {}", e.getMessage());
      }
    }
  }

  private volatile BlobStore store;

  @Bean
  BlobStore blobStore(
      StorageProperties properties, JdbcClient jdbc, TransactionTemplate transactions)
      throws IOException {
    store =
        switch (properties.store()) {
          case "filesystem" -> new FileSystemBlobStore(properties.path());
          case "database" -> new DatabaseBlobStore(jdbc, transactions);
          default ->
              throw new IllegalStateException(
                  "cnn.blobs.store must be 'filesystem' or 'database', got '"
                      + properties.store()
                      + "'");
        };
    return store;
  }
}
