package org.cnnsimplifier.engine.data;

import java.nio.file.Path;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.InputShape;

/**
 * How to open an image data set.
 *
 * @param target the shape the tensors must have (usually the model's input shape); {@code null}
 *     keeps the images' own shape, which must then be the same for every image
 * @param adapt whether to convert images to {@code target}: bilinear resize, gray to RGB by
 *     replication, RGB to gray by luminance, alpha dropped. Without it, an image that does not have
 *     the target shape is an error
 * @param validationFraction the share of each class's training images moved to validation when the
 *     data set has no validation split; in [0, 1)
 * @param testFraction the share of each class's training images held out as a test split when the
 *     data set has none (the "held-out" split, never trained on); in [0, 1), with {@code
 *     validationFraction + testFraction < 1}; 0 holds nothing out. Ignored when the data set has a
 *     test split
 * @param seed seeds the train/validation split and the held-out slice, so the same options give the
 *     same splits
 * @param limits bounds on archive expansion
 * @param workDir where temporary directories (extracted zips, gunzipped IDX) are made; {@code null}
 *     for the system temporary directory
 * @param preprocessing what is done to every decoded image (after adapting) before it is given out:
 *     usually the model's {@link org.cnnsimplifier.engine.model.CnnModel#preprocessing()}; {@code
 *     null} for the defaults, images in [0, 1]
 * @param decode how class-folder images are decoded: the library, and whether once into a tensor
 *     store or per batch; {@code null} for {@link DecodeOptions#perBatch()}
 */
public record DatasetOptions(
    InputShape target,
    boolean adapt,
    double validationFraction,
    double testFraction,
    long seed,
    ArchiveLimits limits,
    Path workDir,
    InputPreprocessing preprocessing,
    DecodeOptions decode) {

  public static final double DEFAULT_VALIDATION_FRACTION = 0.1;

  /**
   * The held-out test share the service asks for when a data set is uploaded without a test split;
   * {@link #defaults()} holds nothing out.
   */
  public static final double DEFAULT_TEST_FRACTION = 0.1;

  public DatasetOptions {
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw new IllegalArgumentException(
          "validationFraction must be in [0, 1), got " + validationFraction);
    }
    if (!(testFraction >= 0 && testFraction < 1)) {
      throw new IllegalArgumentException("testFraction must be in [0, 1), got " + testFraction);
    }
    if (!(validationFraction + testFraction < 1)) {
      throw new IllegalArgumentException(
          "validationFraction + testFraction must be below 1, got "
              + validationFraction
              + " + "
              + testFraction);
    }
    if (limits == null) {
      limits = ArchiveLimits.defaults();
    }
    if (preprocessing == null) {
      preprocessing = InputPreprocessing.defaults();
    }
    if (decode == null) {
      decode = DecodeOptions.perBatch();
    }
  }

  /**
   * Native shape, no adaptation, 10% validation, nothing held out for test, seed 0, default limits,
   * system temp dir, images in [0, 1].
   */
  public static DatasetOptions defaults() {
    return new DatasetOptions(
        null,
        false,
        DEFAULT_VALIDATION_FRACTION,
        0,
        0L,
        ArchiveLimits.defaults(),
        null,
        null,
        null);
  }

  public DatasetOptions withTarget(InputShape newTarget) {
    return new DatasetOptions(
        newTarget,
        adapt,
        validationFraction,
        testFraction,
        seed,
        limits,
        workDir,
        preprocessing,
        decode);
  }

  public DatasetOptions withAdapt(boolean newAdapt) {
    return new DatasetOptions(
        target,
        newAdapt,
        validationFraction,
        testFraction,
        seed,
        limits,
        workDir,
        preprocessing,
        decode);
  }

  /** Converts every image to {@code shape}: shorthand for a target with adapt on. */
  public DatasetOptions adaptTo(InputShape shape) {
    return new DatasetOptions(
        shape,
        true,
        validationFraction,
        testFraction,
        seed,
        limits,
        workDir,
        preprocessing,
        decode);
  }

  public DatasetOptions withValidationFraction(double fraction) {
    return new DatasetOptions(
        target, adapt, fraction, testFraction, seed, limits, workDir, preprocessing, decode);
  }

  /** Holds out this share of train as the test split when the data set has none. */
  public DatasetOptions withTestFraction(double fraction) {
    return new DatasetOptions(
        target, adapt, validationFraction, fraction, seed, limits, workDir, preprocessing, decode);
  }

  /** The same splits as {@code other}: its validation and test fractions and its seed. */
  public DatasetOptions withSplitsOf(DatasetOptions other) {
    return new DatasetOptions(
        target,
        adapt,
        other.validationFraction,
        other.testFraction,
        other.seed,
        limits,
        workDir,
        preprocessing,
        decode);
  }

  public DatasetOptions withSeed(long newSeed) {
    return new DatasetOptions(
        target,
        adapt,
        validationFraction,
        testFraction,
        newSeed,
        limits,
        workDir,
        preprocessing,
        decode);
  }

  public DatasetOptions withLimits(ArchiveLimits newLimits) {
    return new DatasetOptions(
        target,
        adapt,
        validationFraction,
        testFraction,
        seed,
        newLimits,
        workDir,
        preprocessing,
        decode);
  }

  /** Images preprocessed as the model takes them. */
  public DatasetOptions withPreprocessing(InputPreprocessing newPreprocessing) {
    return new DatasetOptions(
        target,
        adapt,
        validationFraction,
        testFraction,
        seed,
        limits,
        workDir,
        newPreprocessing,
        decode);
  }

  public DatasetOptions withWorkDir(Path newWorkDir) {
    return new DatasetOptions(
        target,
        adapt,
        validationFraction,
        testFraction,
        seed,
        limits,
        newWorkDir,
        preprocessing,
        decode);
  }

  /** Decoded as {@code newDecode} says. */
  public DatasetOptions withDecode(DecodeOptions newDecode) {
    return new DatasetOptions(
        target,
        adapt,
        validationFraction,
        testFraction,
        seed,
        limits,
        workDir,
        preprocessing,
        newDecode);
  }
}
