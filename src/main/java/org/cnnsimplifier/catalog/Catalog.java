package org.cnnsimplifier.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.cnnsimplifier.catalog.upload.UploadReceiver;
import org.cnnsimplifier.catalog.upload.UploadWorkspace;
import org.cnnsimplifier.engine.data.ArchiveLimits;
import org.cnnsimplifier.engine.data.DatasetOptions;
import org.cnnsimplifier.engine.data.ImageDataset;
import org.cnnsimplifier.engine.data.ImageDatasets;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.cnnsimplifier.system.ApiException;
import org.cnnsimplifier.system.Owner;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * The uploaded models and data sets, for the other modules: look them up by owner and id, and open
 * them as engine objects. Every lookup is by owner; another owner's id is not found.
 */
@Service
public class Catalog {
  private final ModelRepository models;
  private final DatasetRepository datasets;
  private final StoredBlobs blobs;
  private final UploadReceiver temp;
  private final ArchiveLimits limits;
  private final ApplicationEventPublisher events;

  Catalog(
      ModelRepository models,
      DatasetRepository datasets,
      StoredBlobs blobs,
      UploadReceiver temp,
      ArchiveLimits limits,
      ApplicationEventPublisher events) {
    this.models = models;
    this.datasets = datasets;
    this.blobs = blobs;
    this.temp = temp;
    this.limits = limits;
    this.events = events;
  }

  /** The owner's model with this id, if there is one. */
  public Optional<StoredModel> findModel(Owner owner, UUID id) {
    return models.find(owner, id);
  }

  /** Whether a data set with this id exists, whoever owns it. */
  public boolean datasetExists(UUID id) {
    return datasets.exists(id);
  }

  /** The owner's data set with this id, if there is one. */
  public Optional<StoredDataset> findDataset(Owner owner, UUID id) {
    return datasets.find(owner, id);
  }

  /**
   * Reads a stored model into the engine: the blob is copied to a temporary file, read with the
   * input shape found at upload, and the file deleted. The model takes the stored preprocessing.
   *
   * @throws UncheckedIOException when the blob cannot be read
   * @throws org.cnnsimplifier.engine.InvalidModelException when the engine no longer accepts it
   */
  public CnnModel loadModel(StoredModel model) {
    Path dir = null;
    try {
      dir = temp.newTempDirectory();
      // Named as uploaded, so engine messages name the file the user knows.
      Path file = dir.resolve(UploadWorkspace.safeFileName(model.name()));
      blobs.copyTo(model.blobKey(), file);
      return ModelFiles.read(file, model.inputShape()).withPreprocessing(model.preprocessing());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot load model " + model.id() + ": " + e.getMessage(), e);
    } finally {
      if (dir != null) {
        temp.deleteTempDirectory(dir);
      }
    }
  }

  /**
   * Opens a stored data set in the engine; the caller closes it. The zip is copied from the blob
   * store to a temporary file, which the engine extracts into its work area (under {@code
   * options.workDir()}, or the catalog's temporary directory when that is null); the copy is
   * deleted at once.
   *
   * @param options how to open it (shape, adaptation, preprocessing, work folder); its split
   *     fractions and seed are replaced by the data set's ({@link StoredDataset#options()}), so
   *     every job on a data set uses the splits fixed at upload
   * @throws UncheckedIOException when the blob cannot be read
   */
  public ImageDataset openDataset(StoredDataset dataset, DatasetOptions options) {
    // The splits are the data set's, fixed at upload, whatever the caller's options say.
    DatasetOptions withWorkDir =
        (options.workDir() != null ? options : options.withWorkDir(temp.root()))
            .withSplitsOf(dataset.options())
            .withLimits(limits);
    Path dir = null;
    try {
      dir = temp.newTempDirectory();
      Path file = dir.resolve(UploadWorkspace.safeFileName(dataset.name()));
      blobs.copyTo(dataset.blobKey(), file);
      return ImageDatasets.open(file, withWorkDir);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open data set " + dataset.id() + ": " + e.getMessage(), e);
    } finally {
      if (dir != null) {
        temp.deleteTempDirectory(dir);
      }
    }
  }

  /** The stored model file's bytes; the caller closes the stream. */
  public InputStream openModelFile(StoredModel model) throws IOException {
    return blobs.open(model.blobKey());
  }

  PageResponse<StoredModel> models(Owner owner, Paging paging) {
    return new PageResponse<>(
        models.page(owner, paging), paging.page(), paging.size(), models.count(owner));
  }

  PageResponse<StoredDataset> datasets(Owner owner, Paging paging) {
    return new PageResponse<>(
        datasets.page(owner, paging), paging.page(), paging.size(), datasets.count(owner));
  }

  StoredModel model(Owner owner, UUID id) {
    return models.find(owner, id).orElseThrow(() -> ApiException.notFound("model", id));
  }

  StoredDataset dataset(Owner owner, UUID id) {
    return datasets.find(owner, id).orElseThrow(() -> ApiException.notFound("data set", id));
  }

  /**
   * Changes how the model's input images are preprocessed; 404 when not the owner's, 400 when it
   * does not fit the model, 409 while a job that has not finished uses the model (it would train
   * and evaluate on other numbers halfway through).
   */
  StoredModel updatePreprocessing(Owner owner, UUID id, PreprocessingRequest request) {
    StoredModel model = model(owner, id);
    InputPreprocessing preprocessing =
        request.over(InputPreprocessing.defaults(), model.inputShape().channels());
    if (models.inUse(id)) {
      throw ApiException.conflict(
          "model "
              + id
              + " is used by a job that has not finished; cancel the job or wait for it, then"
              + " change its preprocessing");
    }
    if (!models.updatePreprocessing(owner, id, preprocessing)) {
      throw ApiException.notFound("model", id);
    }
    return model.withPreprocessing(preprocessing);
  }

  /** Deletes the row, then its blob; 404 when not the owner's, 409 while a job refers to it. */
  void deleteModel(Owner owner, UUID id) {
    deleted(models.delete(owner, id), "model", id);
  }

  void deleteDataset(Owner owner, UUID id) {
    deleted(datasets.delete(owner, id), "data set", id);
    events.publishEvent(new DatasetDeleted(id));
  }

  private void deleted(CatalogRows.Deleted deleted, String what, UUID id) {
    switch (deleted.outcome()) {
      case NOT_FOUND -> throw ApiException.notFound(what, id);
      case IN_USE ->
          throw ApiException.conflict(
              what
                  + " "
                  + id
                  + " is used by a job; a job keeps its model and data set until the job is"
                  + " deleted: cancel the jobs that have not ended, delete the jobs that use it"
                  + " (DELETE /api/v1/jobs/{id}), then delete the "
                  + what);
      case DELETED -> blobs.deleteQuietly(deleted.blobKey());
    }
  }
}
