package org.cnnsimplifier.catalog;

import java.time.Instant;
import java.util.UUID;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.ExportFormats;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.system.Owner;

/**
 * An uploaded model as the catalog keeps it. Its bytes are in the blob store under {@code blobKey};
 * {@link Catalog#loadModel} turns it into an engine model.
 *
 * @param id the model's id
 * @param owner who uploaded it; only this owner sees it
 * @param name the name given at upload (or the file's name)
 * @param format the file format
 * @param sizeBytes the file's length
 * @param sha256 the file's SHA-256, lower-case hex
 * @param blobKey where the file is in the blob store
 * @param inputShape the input shape read or inferred at upload (also the hint for later reads)
 * @param architecture the layers with shapes, parameters, FLOPs and which can be pruned
 * @param createdAt when it was uploaded
 * @param preprocessing how its input images are preprocessed (set at upload, changeable later)
 * @param exports the formats it can be downloaded in; null for models uploaded before this was
 *     recorded
 */
public record StoredModel(
    UUID id,
    Owner owner,
    String name,
    ModelFormat format,
    long sizeBytes,
    String sha256,
    String blobKey,
    InputShape inputShape,
    ArchitectureSummary architecture,
    Instant createdAt,
    InputPreprocessing preprocessing,
    ExportFormats exports) {

  public StoredModel {
    if (preprocessing == null) {
      preprocessing = InputPreprocessing.defaults();
    }
  }

  /** A model with the default preprocessing and no recorded export formats. */
  public StoredModel(
      UUID id,
      Owner owner,
      String name,
      ModelFormat format,
      long sizeBytes,
      String sha256,
      String blobKey,
      InputShape inputShape,
      ArchitectureSummary architecture,
      Instant createdAt) {
    this(
        id,
        owner,
        name,
        format,
        sizeBytes,
        sha256,
        blobKey,
        inputShape,
        architecture,
        createdAt,
        null,
        null);
  }

  /** The same model with another preprocessing. */
  public StoredModel withPreprocessing(InputPreprocessing newPreprocessing) {
    return new StoredModel(
        id,
        owner,
        name,
        format,
        sizeBytes,
        sha256,
        blobKey,
        inputShape,
        architecture,
        createdAt,
        newPreprocessing,
        exports);
  }
}
