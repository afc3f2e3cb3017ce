package org.cnnsimplifier.engine.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.InvalidDatasetException;
import org.cnnsimplifier.engine.data.Folders.SplitName;

/**
 * Indexes a folder of class folders (the ImageFolder / {@code image_dataset_from_directory}
 * layout), optionally inside {@code train/}, {@code val/} or {@code validation/}, and {@code test/}
 * split folders. Every image header is read once, to check the image and its shape; pixels are
 * decoded per batch, or once into a tensor store ({@link TensorStores}).
 */
final class ImageFolderLoader {
  private final Path base;
  private final DatasetOptions options;
  private final ShapePolicy policy;
  private final List<String> files = new ArrayList<>();

  /**
   * @param base the folder file names in messages are relative to (the archive's root)
   */
  private ImageFolderLoader(Path base, DatasetOptions options) {
    this.base = base;
    this.options = options;
    this.policy = new ShapePolicy(options.target(), options.adapt());
  }

  static StreamedImageDataset load(
      Path root, Path base, DatasetOptions options, WorkArea work, SourceKind kind) {
    return new ImageFolderLoader(base, options).load(root, work, kind);
  }

  private StreamedImageDataset load(Path root, WorkArea work, SourceKind kind) {
    Map<SplitName, Path> splits = splitFolders(root);
    Path trainDir = splits.isEmpty() ? root : splits.get(SplitName.TRAIN);
    if (trainDir == null) {
      throw new InvalidDatasetException(
          "the data set has "
              + splits.keySet().stream().map(s -> s.name().toLowerCase() + "/").toList()
              + " folders but no train/ folder; add train/ with one folder per class");
    }
    List<String> classes =
        Folders.subfolders(trainDir).stream().map(p -> p.getFileName().toString()).toList();
    if (classes.size() < 2) {
      throw new InvalidDatasetException(
          "the data set needs at least 2 classes (one folder of images per class) but "
              + display(trainDir)
              + " has "
              + (classes.isEmpty() ? "none" : "only " + classes)
              + "; put each class's images in its own folder");
    }
    FolderImages reader = new FolderImages(base, files, policy, options.decode().decoder());
    SplitSamples train = scan(trainDir, classes, reader);
    SplitSamples validation =
        splits.containsKey(SplitName.VALIDATION)
            ? scan(splits.get(SplitName.VALIDATION), classes, reader)
            : null;
    SplitSamples test =
        splits.containsKey(SplitName.TEST)
            ? scan(splits.get(SplitName.TEST), classes, reader)
            : null;
    StratifiedSplitter.Splits complete =
        StratifiedSplitter.complete(train, validation, test, classes.size(), options);
    return new StreamedImageDataset(classes, policy.shape(), complete, kind, List.of(reader), work);
  }

  private Map<SplitName, Path> splitFolders(Path root) {
    Map<SplitName, Path> splits = new EnumMap<>(SplitName.class);
    for (Path dir : Folders.subfolders(root)) {
      SplitName name = SplitName.of(dir);
      if (name == null) {
        continue;
      }
      Path previous = splits.put(name, dir);
      if (previous != null) {
        throw new InvalidDatasetException(
            "the data set has both "
                + display(previous)
                + "/ and "
                + display(dir)
                + "/ as "
                + name.name().toLowerCase()
                + " split; keep one of them");
      }
    }
    return splits;
  }

  private SplitSamples scan(Path splitDir, List<String> classes, FolderImages reader) {
    List<Integer> indices = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    for (Path classDir : Folders.subfolders(splitDir)) {
      String name = classDir.getFileName().toString();
      int label = classes.indexOf(name);
      if (label < 0) {
        throw new InvalidDatasetException(
            "class folder "
                + display(classDir)
                + " is not among the training classes "
                + classes
                + "; every split must use the training classes' folder names");
      }
      List<Path> images = Folders.imagesUnder(classDir);
      if (images.isEmpty()) {
        throw new InvalidDatasetException(
            "class folder "
                + display(classDir)
                + " holds no PNG or JPEG image; add images or remove the folder");
      }
      for (Path image : images) {
        String relative = display(image);
        policy.check(ImageFiles.readShape(image, relative), relative);
        indices.add(files.size());
        labels.add(label);
        files.add(relative);
      }
    }
    return new SplitSamples(
        reader,
        indices.stream().mapToInt(Integer::intValue).toArray(),
        labels.stream().mapToInt(Integer::intValue).toArray());
  }

  private String display(Path path) {
    String relative = base.relativize(path).toString().replace('\\', '/');
    return relative.isEmpty() ? "the data set's top folder" : relative;
  }
}
