package org.cnnsimplifier.catalog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.cnnsimplifier.engine.data.DatasetOptions;
import org.cnnsimplifier.engine.data.DatasetSummary;
import org.cnnsimplifier.engine.data.SourceKind;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.system.Owner;

/**
 * An uploaded image data set as the catalog keeps it: always one zip in the blob store (IDX files
 * sent separately are zipped together). {@link Catalog#openDataset} opens it for the engine.
 *
 * @param id the data set's id
 * @param owner who uploaded it; only this owner sees it
 * @param name the name given at upload (or the file's name)
 * @param kind what the stored zip holds: {@link SourceKind#IMAGE_FOLDERS_ZIP} or {@link
 *     SourceKind#IDX_ZIP}
 * @param sizeBytes the stored zip's length
 * @param sha256 the stored zip's SHA-256, lower-case hex
 * @param blobKey where the zip is in the blob store
 * @param summary classes, counts per class and split, image shape, as opened at upload
 * @param validationFraction the share of train held out for validation when the counts were made
 *     (used only when the data set has no validation split)
 * @param testFraction the share of train held out as the test split (used only when the data set
 *     has no test split); 0 for data sets stored before test slices were held out
 * @param seed the seed of both splits
 * @param createdAt when it was uploaded
 */
public record StoredDataset(
    UUID id,
    Owner owner,
    String name,
    SourceKind kind,
    long sizeBytes,
    String sha256,
    String blobKey,
    DatasetSummary summary,
    double validationFraction,
    double testFraction,
    long seed,
    Instant createdAt) {

  /** Class names in label order. */
  public List<String> classes() {
    return summary.classes();
  }

  /** The shape of one image tensor, as stored (before any adaptation to a model). */
  public InputShape imageShape() {
    return summary.imageShape();
  }

  /**
   * Options that reproduce the splits the summary's counts describe: every job uses these, so all
   * jobs on a data set see the same train, validation and test images.
   */
  public DatasetOptions options() {
    return DatasetOptions.defaults()
        .withValidationFraction(validationFraction)
        .withTestFraction(testFraction)
        .withSeed(seed);
  }
}
