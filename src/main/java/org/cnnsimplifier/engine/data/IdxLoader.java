package org.cnnsimplifier.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.cnnsimplifier.engine.InvalidDatasetException;
import org.cnnsimplifier.engine.data.Folders.SplitName;

/**
 * Opens IDX image/label file pairs: {@code train-*} is the train split, {@code t10k-*} or {@code
 * test-*} the test split, {@code val-*} a validation split. Gzipped files are decompressed once
 * into the work area; images are then read by file offset per batch.
 */
final class IdxLoader {
  private final Path base;
  private final DatasetOptions options;
  private final WorkArea work;
  private final ShapePolicy policy;
  private final List<SampleReader> readers = new ArrayList<>();
  private long budget;

  private IdxLoader(Path base, DatasetOptions options, WorkArea work) {
    this.base = base;
    this.options = options;
    this.work = work;
    this.policy = new ShapePolicy(options.target(), options.adapt());
    this.budget = options.limits().maxUncompressedBytes();
  }

  /** Whether the folder holds IDX files (then it is read as an IDX data set). */
  static boolean holdsIdx(Path root) {
    return Folders.children(root).stream().anyMatch(IdxFiles::isIdxFile);
  }

  static StreamedImageDataset load(
      Path root, Path base, DatasetOptions options, WorkArea work, SourceKind kind) {
    IdxLoader loader = new IdxLoader(base, options, work);
    try {
      return loader.load(root, kind);
    } catch (RuntimeException e) {
      loader.readers.forEach(SampleReader::close);
      throw e;
    }
  }

  private StreamedImageDataset load(Path root, SourceKind kind) {
    Map<SplitName, Path[]> pairs = pairs(root);
    if (!pairs.containsKey(SplitName.TRAIN)) {
      throw new InvalidDatasetException(
          "the IDX data set has no training files; name them train-images-idx3-ubyte[.gz] and"
              + " train-labels-idx1-ubyte[.gz]");
    }
    Map<SplitName, SplitSamples> splits = new EnumMap<>(SplitName.class);
    int maxLabel = 0;
    for (Map.Entry<SplitName, Path[]> pair : pairs.entrySet()) {
      SplitSamples samples = open(pair.getValue()[0], pair.getValue()[1]);
      for (int label : samples.labels()) {
        maxLabel = Math.max(maxLabel, label);
      }
      splits.put(pair.getKey(), samples);
    }
    List<String> classes = new ArrayList<>();
    for (int c = 0; c <= maxLabel; c++) {
      classes.add(Integer.toString(c));
    }
    if (classes.size() < 2) {
      throw new InvalidDatasetException(
          "the IDX data set has only label 0; a classifier needs at least 2 classes");
    }
    StratifiedSplitter.Splits complete =
        StratifiedSplitter.complete(
            splits.get(SplitName.TRAIN),
            splits.get(SplitName.VALIDATION),
            splits.get(SplitName.TEST),
            classes.size(),
            options);
    return new StreamedImageDataset(classes, policy.shape(), complete, kind, readers, work);
  }

  /** Images and labels file per split, checked to be complete and unambiguous. */
  private Map<SplitName, Path[]> pairs(Path root) {
    Map<String, Path[]> byPrefix = new TreeMap<>();
    for (Path file : Folders.children(root)) {
      IdxFiles.IdxName name = Files.isRegularFile(file) ? IdxFiles.parse(file) : null;
      if (name == null) {
        continue;
      }
      Path[] pair = byPrefix.computeIfAbsent(name.prefix(), p -> new Path[2]);
      int slot = name.images() ? 0 : 1;
      if (pair[slot] != null) {
        throw new InvalidDatasetException(
            "both " + display(pair[slot]) + " and " + display(file) + " are there; keep one");
      }
      pair[slot] = file;
    }
    Map<SplitName, Path[]> pairs = new EnumMap<>(SplitName.class);
    for (Map.Entry<String, Path[]> entry : byPrefix.entrySet()) {
      Path[] pair = entry.getValue();
      Path some = pair[0] != null ? pair[0] : pair[1];
      SplitName split = splitOf(entry.getKey());
      if (split == null) {
        throw new InvalidDatasetException(
            "IDX file "
                + display(some)
                + " does not say its split; start its name with train-, t10k- or test-, or val-");
      }
      if (pair[0] == null || pair[1] == null) {
        throw new InvalidDatasetException(
            "IDX file "
                + display(some)
                + " has no matching "
                + (pair[0] == null
                    ? "images (…-images-idx3-ubyte)"
                    : "labels (…-labels-idx1-ubyte)")
                + " file; add it");
      }
      if (pairs.put(split, pair) != null) {
        throw new InvalidDatasetException(
            "two IDX file pairs are for the "
                + split.name().toLowerCase()
                + " split ("
                + display(some)
                + " is one); keep one pair");
      }
    }
    return pairs;
  }

  private static SplitName splitOf(String prefix) {
    return switch (prefix) {
      case "train", "training" -> SplitName.TRAIN;
      case "t10k", "test", "testing" -> SplitName.TEST;
      case "val", "valid", "validation" -> SplitName.VALIDATION;
      default -> null;
    };
  }

  private SplitSamples open(Path imagesFile, Path labelsFile) {
    String imagesName = display(imagesFile);
    String labelsName = display(labelsFile);
    IdxImageReader images = IdxImageReader.open(plain(imagesFile), policy, imagesName);
    readers.add(images);
    int[] labels = IdxImageReader.readLabels(plain(labelsFile), labelsName);
    if (labels.length != images.count()) {
      throw new InvalidDatasetException(
          "IDX files "
              + imagesName
              + " and "
              + labelsName
              + " do not match: "
              + images.count()
              + " images but "
              + labels.length
              + " labels; use the labels file that belongs to these images");
    }
    int[] indices = new int[labels.length];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = i;
    }
    return new SplitSamples(images, indices, labels);
  }

  /** The file itself, or its gunzipped copy in the work area. */
  private Path plain(Path file) {
    if (!IdxFiles.parse(file).gzipped()) {
      return file;
    }
    String name = file.getFileName().toString();
    Path target = work.dir().resolve("idx").resolve(name.substring(0, name.length() - 3));
    try {
      Files.createDirectories(target.getParent());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    budget = IdxFiles.gunzip(file, target, budget, options.limits(), display(file));
    return target;
  }

  private String display(Path file) {
    return base.relativize(file).toString().replace('\\', '/');
  }
}
