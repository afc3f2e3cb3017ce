package org.cnnsimplifier.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.cnnsimplifier.storage.BlobStore;
import org.cnnsimplifier.storage.FileSystemBlobStore;
import org.cnnsimplifier.system.SecurityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What the web slice tests need beyond the controllers: the real upload pipeline and a real
 * file-system blob store in a temporary data directory; the repositories are mocked by each test.
 * API keys: alice:ka, bob:kb; upload limit 300 KB; model zips may inflate to 10 MB.
 */
@TestConfiguration
@EnableConfigurationProperties(SecurityProperties.class)
@Import({
  org.cnnsimplifier.system.ApiSecurityForTests.class,
  CatalogConfig.class,
  ModelUploads.class,
  DatasetUploads.class,
  Catalog.class,
  ModelDownloads.class,
  StoredBlobs.class,
  UploadMetrics.class
})
class CatalogSliceConfig {
  static final Instant NOW = Instant.parse("2025-01-31T10:15:30.123456Z");
  static final long LIMIT = 300 * 1024;

  @Bean
  Clock clock() {
    return Clock.fixed(NOW, ZoneOffset.UTC);
  }

  @Bean
  BlobStore blobStore(org.springframework.core.env.Environment env) throws IOException {
    return new FileSystemBlobStore(Path.of(env.getRequiredProperty("cnn.data-dir"), "blobs"));
  }

  /** A fresh data directory and the slice's settings. */
  static Path register(DynamicPropertyRegistry registry) {
    Path dataDir;
    try {
      dataDir = Files.createTempDirectory("catalog-slice");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    registry.add("cnn.data-dir", dataDir::toString);
    registry.add("cnn.security.api-keys", () -> "alice:ka,bob:kb");
    registry.add("cnn.uploads.max-bytes", () -> LIMIT + "B");
    registry.add("cnn.uploads.max-model-uncompressed-bytes", () -> "10MB");
    registry.add("cnn.uploads.max-model-zip-entries", () -> "50");
    return dataDir;
  }

  /** Regular files under a directory (blobs, temporary files). */
  static long filesUnder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).count();
    }
  }

  static long entriesUnder(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.count();
    }
  }
}
