package org.cnnsimplifier.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cnnsimplifier.engine.data.SourceKind;
import org.cnnsimplifier.engine.model.InputShape;

/**
 * A data set as the API shows it.
 *
 * @param id the data set's id
 * @param name its name
 * @param kind what the stored zip holds: IMAGE_FOLDERS_ZIP or IDX_ZIP
 * @param sizeBytes the stored zip's length
 * @param sha256 the stored zip's SHA-256, lower-case hex
 * @param classes class names in label order
 * @param counts split (train, validation, test) to class to image count
 * @param imageShape one image: channels, height, width
 * @param validationFraction the share of train held out as validation (when there was no validation
 *     split)
 * @param testFraction the share of train held out as the test split (when there was no test split)
 * @param testSplit the test split's name in job reports: test (the data set's own), held-out (held
 *     out of train at upload), or null when there is none
 * @param seed the seed of those splits
 * @param createdAt when it was uploaded
 */
record DatasetResponse(
    UUID id,
    String name,
    SourceKind kind,
    long sizeBytes,
    String sha256,
    List<String> classes,
    Map<String, Map<String, Integer>> counts,
    InputShape imageShape,
    double validationFraction,
    double testFraction,
    String testSplit,
    long seed,
    Instant createdAt) {

  static DatasetResponse of(StoredDataset dataset) {
    return new DatasetResponse(
        dataset.id(),
        dataset.name(),
        dataset.kind(),
        dataset.sizeBytes(),
        dataset.sha256(),
        dataset.classes(),
        dataset.summary().counts(),
        dataset.imageShape(),
        dataset.validationFraction(),
        dataset.testFraction(),
        dataset.summary().testSplitName(),
        dataset.seed(),
        dataset.createdAt());
  }
}
