package org.cnnsimplifier.catalog;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import org.cnnsimplifier.catalog.upload.ModelZipCheck;
import org.cnnsimplifier.catalog.upload.UploadReceiver;
import org.cnnsimplifier.engine.data.ArchiveLimits;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The catalog's settings and the upload receiver. */
@Configuration
@EnableConfigurationProperties(UploadProperties.class)
class CatalogConfig {

  /**
   * Entries of a model zip other than its parameter arrays (the configuration JSON, normalizer,
   * metadata) are read onto the heap whole; real ones are kilobytes.
   */
  static final long MAX_MODEL_ZIP_OTHER_ENTRY_BYTES = 64L << 20;

  @Bean
  UploadReceiver uploadReceiver(
      UploadProperties properties, @Value("${cnn.data-dir:./data}") Path dataDir, Clock clock)
      throws IOException {
    Path temp = properties.tempDir() != null ? properties.tempDir() : dataDir.resolve("tmp");
    return new UploadReceiver(temp, properties.maxBytes().toBytes(), clock);
  }

  @Bean
  ModelZipCheck.Limits modelZipLimits(UploadProperties properties) {
    return new ModelZipCheck.Limits(
        properties.maxModelZipEntries(),
        properties.maxModelUncompressedBytes().toBytes(),
        MAX_MODEL_ZIP_OTHER_ENTRY_BYTES,
        properties.maxCompressionRatio());
  }

  @Bean
  ArchiveLimits datasetArchiveLimits(UploadProperties properties) {
    return properties.datasetLimits();
  }
}
