package org.cnnsimplifier.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.cnnsimplifier.engine.DatasetMismatchException;
import org.cnnsimplifier.engine.InvalidDatasetException;

/**
 * Opens image data sets from disk. Accepted sources:
 *
 * <ul>
 *   <li>a folder, or a zip archive, with one sub-folder of PNG/JPEG images per class, optionally
 *       inside {@code train/}, {@code val/} (or {@code validation/}) and {@code test/} split
 *       folders; a single folder wrapping everything (as zips often have) is looked through;
 *   <li>IDX files (MNIST, Fashion-MNIST), gzipped or not, in a folder or a zip archive; giving one
 *       of the IDX files opens the folder it is in.
 * </ul>
 *
 * Without a test split, a seeded, stratified share of train ({@link DatasetOptions#testFraction()})
 * is held out as the test split; without a validation split, another share becomes validation. The
 * same source and options always give the same splits.
 */
public final class ImageDatasets {

  private ImageDatasets() {}

  /**
   * Opens the data set at {@code path}. Nothing is decoded beyond image headers: the data set
   * streams batches from disk. On failure, any temporary files made so far are deleted.
   *
   * @throws InvalidDatasetException when the source is missing, unsafe or malformed
   * @throws org.cnnsimplifier.engine.DatasetMismatchException when an image does not have the
   *     target shape and adapt is off
   */
  public static ImageDataset open(Path path, DatasetOptions options) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(options, "options");
    if (!Files.exists(path)) {
      throw new InvalidDatasetException(
          "data set " + path.getFileName() + " does not exist (looked for " + path + ")");
    }
    WorkArea work = new WorkArea(options.workDir());
    try {
      StreamedImageDataset dataset = open(path, options, work);
      try {
        options.preprocessing().checkFits(dataset.imageShape().channels());
      } catch (IllegalArgumentException e) {
        throw new DatasetMismatchException(
            "the input preprocessing does not fit the images: " + e.getMessage());
      }
      return TensorStores.attach(dataset.preprocessed(options.preprocessing()), options);
    } catch (RuntimeException | Error e) {
      try {
        work.close();
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  private static StreamedImageDataset open(Path path, DatasetOptions options, WorkArea work) {
    Path base;
    boolean zipped = false;
    if (Files.isDirectory(path)) {
      base = path;
    } else if (Files.isRegularFile(path) && SafeZip.looksLikeZip(path)) {
      Path extracted = Path.of("extracted");
      SafeZip.extract(path, work, extracted, options.limits());
      base = work.dir().resolve(extracted);
      zipped = true;
    } else if (Files.isRegularFile(path) && IdxFiles.parse(path) != null) {
      base = path.toAbsolutePath().getParent();
    } else {
      throw new InvalidDatasetException(
          path.getFileName()
              + " is neither a folder, a .zip archive nor IDX files; give a folder or zip with one"
              + " folder of images per class, or MNIST-style IDX files");
    }
    Path root = Folders.unwrap(base);
    if (IdxLoader.holdsIdx(root)) {
      return IdxLoader.load(
          root, base, options, work, zipped ? SourceKind.IDX_ZIP : SourceKind.IDX);
    }
    return ImageFolderLoader.load(
        root,
        base,
        options,
        work,
        zipped ? SourceKind.IMAGE_FOLDERS_ZIP : SourceKind.IMAGE_FOLDERS);
  }
}
