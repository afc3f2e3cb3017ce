package org.cnnsimplifier.catalog;

import jakarta.servlet.MultipartConfigElement;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import org.cnnsimplifier.catalog.upload.UploadReceiver;
import org.cnnsimplifier.engine.TempFiles;
import org.cnnsimplifier.system.ScratchSpace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.servlet.autoconfigure.MultipartProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Where uploads are buffered, and the sweeps that delete what a killed process left there. The
 * servlet container writes multipart parts larger than the threshold to {@code
 * cnn.data-dir/multipart/<process>} (not to its own temporary directory, which no one sweeps); the
 * receiver's workspaces live in {@code cnn.data-dir/tmp}. Both are swept at start-up and every
 * {@code cnn.uploads.sweep-interval} (10 minutes).
 */
@Configuration(proxyBeanMethods = false)
class UploadScratch implements DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(UploadScratch.class);

  private final Path multipartRoot;
  private final ScratchSpace.Claim multipart;
  private final UploadReceiver receiver;

  UploadScratch(@Value("${cnn.data-dir:./data}") Path dataDir, UploadReceiver receiver)
      throws IOException {
    this.multipartRoot = dataDir.resolve("multipart").toAbsolutePath().normalize();
    this.receiver = receiver;
    ScratchSpace.sweep(multipartRoot);
    this.multipart = ScratchSpace.claim(multipartRoot.resolve(UUID.randomUUID().toString()));
  }

  /** Spring Boot's multipart settings, with this process's own buffer directory. */
  @Bean
  MultipartConfigElement multipartConfigElement(MultipartProperties properties) {
    MultipartConfigElement configured = properties.createMultipartConfig();
    return new MultipartConfigElement(
        multipart.dir().toString(),
        configured.getMaxFileSize(),
        configured.getMaxRequestSize(),
        configured.getFileSizeThreshold());
  }

  @Scheduled(
      fixedDelayString = "${cnn.uploads.sweep-interval:10m}",
      initialDelayString = "${cnn.uploads.sweep-interval:10m}")
  void sweep() {
    int deleted = receiver.sweep() + ScratchSpace.sweep(multipartRoot);
    if (deleted > 0) {
      log.info("deleted {} upload folder(s) left by processes that ended", deleted);
    }
  }

  @Override
  public void destroy() {
    try {
      TempFiles.deleteRecursively(multipart.dir());
    } catch (IOException e) {
      log.warn("could not delete {}: {}", multipart.dir(), e.toString());
    } finally {
      multipart.close();
    }
  }
}
