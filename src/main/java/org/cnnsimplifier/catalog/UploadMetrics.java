package org.cnnsimplifier.catalog;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.cnnsimplifier.engine.EngineException;
import org.cnnsimplifier.system.ApiException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Upload metrics: {@code cnn.uploads} (uploads by type and outcome) and {@code cnn.upload.bytes}
 * (bytes stored, by type).
 */
@Component
class UploadMetrics {
  private final MeterRegistry registry;

  UploadMetrics(ObjectProvider<MeterRegistry> registry) {
    // A web slice test has no registry; counting into a private one keeps the code path the same.
    this.registry = registry.getIfUnique(SimpleMeterRegistry::new);
  }

  void stored(String type, long bytes) {
    registry.counter("cnn.uploads", "type", type, "outcome", "stored").increment();
    registry.counter("cnn.upload.bytes", "type", type).increment(bytes);
  }

  void refused(String type, RuntimeException reason) {
    String outcome;
    if (reason instanceof ApiException api) {
      outcome = Integer.toString(api.status().value());
    } else if (reason instanceof EngineException) {
      outcome = "invalid";
    } else {
      outcome = "error";
    }
    registry.counter("cnn.uploads", "type", type, "outcome", outcome).increment();
  }
}
