package org.cnnsimplifier.workers;

import java.time.Clock;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.cnnsimplifier.jobs.queue.QueueProperties;
import org.cnnsimplifier.storage.BlobStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Starts the worker pool unless {@code cnn.workers.enabled=false} (the API-only role). */
@Configuration
@EnableConfigurationProperties(WorkerProperties.class)
class WorkersConfig {

  @Bean
  @ConditionalOnProperty(name = "cnn.workers.enabled", havingValue = "true", matchIfMissing = true)
  WorkerPool workerPool(
      JobQueue queue,
      QueueProperties queueProperties,
      WorkerProperties properties,
      BlobStore blobs,
      JobInputs inputs,
      tools.jackson.databind.ObjectMapper json,
      Clock clock,
      WorkerMetrics metrics,
      org.cnnsimplifier.jobs.ReviewStore reviews,
      org.cnnsimplifier.jobs.JobBlobs jobBlobs) {
    return new WorkerPool(
        queue, queueProperties, properties, blobs, inputs, json, clock, metrics, reviews, jobBlobs);
  }
}
