package org.cnnsimplifier.workers;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Where and up to what size the workers keep data sets decoded once (tensor stores).
 *
 * @param enabled {@code false}: class-folder data sets are decoded per batch, as without a store
 * @param dir the stores' directory; {@code null} for {@code tensor-stores} in the workers' work
 *     directory
 * @param maxBytes the largest store made; larger data sets are decoded per batch
 * @param sweepInterval how often stores of data sets deleted elsewhere are removed
 */
@ConfigurationProperties("cnn.workers.tensor-store")
public record TensorStoreProperties(
    Boolean enabled, Path dir, DataSize maxBytes, Duration sweepInterval) {

  public TensorStoreProperties {
    enabled = enabled == null || enabled;
    maxBytes = maxBytes == null ? DataSize.ofGigabytes(4) : maxBytes;
    sweepInterval = sweepInterval == null ? Duration.ofMinutes(10) : sweepInterval;
    if (maxBytes.isNegative()) {
      throw new IllegalArgumentException("cnn.workers.tensor-store.max-bytes must be >= 0");
    }
  }
}
