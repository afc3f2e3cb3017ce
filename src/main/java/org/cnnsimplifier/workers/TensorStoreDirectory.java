package org.cnnsimplifier.workers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.cnnsimplifier.catalog.Catalog;
import org.cnnsimplifier.catalog.DatasetDeleted;
import org.cnnsimplifier.catalog.StoredDataset;
import org.cnnsimplifier.engine.TempFiles;
import org.cnnsimplifier.engine.data.DatasetOptions;
import org.cnnsimplifier.engine.data.DecodeOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * This node's tensor stores: one folder per data set (named by its id) under {@code
 * cnn.workers.tensor-store.dir}, holding a store per shape and channel order jobs needed. A folder
 * goes when its data set is deleted: at once on the node that deletes it, and at the next sweep
 * (start-up, then every {@code sweep-interval}) on the others.
 */
@Component
public class TensorStoreDirectory {
  private static final Logger log = LoggerFactory.getLogger(TensorStoreDirectory.class);

  private final TensorStoreProperties properties;
  private final Catalog catalog;
  private final Path root;

  TensorStoreDirectory(
      TensorStoreProperties properties, WorkerProperties workers, Catalog catalog) {
    this.properties = properties;
    this.catalog = catalog;
    this.root =
        properties.dir() != null ? properties.dir() : workers.workDir().resolve("tensor-stores");
  }

  /** The stores' directory: kept by the sweeps of job work folders. */
  public Path root() {
    return root;
  }

  /** {@code options} decoding into this data set's stores (when enabled). */
  DatasetOptions withStore(DatasetOptions options, StoredDataset dataset) {
    if (!properties.enabled()) {
      return options;
    }
    return options.withDecode(
        DecodeOptions.stored(
            root.resolve(dataset.id().toString()),
            dataset.sha256(),
            properties.maxBytes().toBytes()));
  }

  @EventListener
  void onDatasetDeleted(DatasetDeleted event) {
    delete(event.id());
  }

  /** Deletes the stores of a data set. */
  void delete(UUID datasetId) {
    Path dir = root.resolve(datasetId.toString());
    if (!Files.exists(dir)) {
      return;
    }
    try {
      TempFiles.deleteRecursively(dir);
      log.info("tensor stores of deleted data set {} removed", datasetId);
    } catch (IOException e) {
      log.warn("could not delete {}: {}", dir, e.toString());
    }
  }

  @Scheduled(
      fixedDelayString = "${cnn.workers.tensor-store.sweep-interval:10m}",
      initialDelayString = "${cnn.workers.tensor-store.sweep-initial-delay:5s}")
  void sweep() {
    int deleted = sweep(catalog::datasetExists);
    if (deleted > 0) {
      log.info("tensor stores of {} deleted data set(s) removed", deleted);
    }
  }

  /**
   * Deletes the stores of data sets that no longer exist.
   *
   * @return how many data sets' stores were deleted
   */
  int sweep(Predicate<UUID> exists) {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int deleted = 0;
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        UUID id;
        try {
          id = UUID.fromString(dir.getFileName().toString());
        } catch (IllegalArgumentException notOurs) {
          continue;
        }
        if (!exists.test(id)) {
          delete(id);
          deleted++;
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("tensor store sweep of {} failed: {}", root, e.toString());
    }
    return deleted;
  }
}
