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

  @Bean
  BlobStore blobStore(
      StorageProperties properties, JdbcClient jdbc, TransactionTemplate transactions)
      throws IOException {
    return switch (properties.store()) {
      case "filesystem" -> new FileSystemBlobStore(properties.path());
      case "database" -> new DatabaseBlobStore(jdbc, transactions);
      default ->
          throw new IllegalStateException(
              "cnn.blobs.store must be 'filesystem' or 'database', got '"
                  + properties.store()
                  + "'");
    };
  }
}
