package org.cnnsimplifier.engine.data;

/** What a data set was read from. */
public enum SourceKind {
  /** A folder with one sub-folder of images per class (optionally inside split folders). */
  IMAGE_FOLDERS,
  /** The same layout inside a zip archive. */
  IMAGE_FOLDERS_ZIP,
  /** IDX files (the MNIST format), plain or gzipped, in a folder. */
  IDX,
  /** IDX files inside a zip archive. */
  IDX_ZIP
}
