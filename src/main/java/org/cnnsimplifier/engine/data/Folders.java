package org.cnnsimplifier.engine.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.cnnsimplifier.engine.InvalidDatasetException;

/** Directory listing that skips what archivers and operating systems add (hidden files, macOS). */
final class Folders {
  private static final int MAX_WRAPPER_DEPTH = 4;

  private Folders() {}

  static boolean isVisible(Path path) {
    String name = path.getFileName().toString();
    return !name.startsWith(".") && !name.equals("__MACOSX") && !name.equals("Thumbs.db");
  }

  /** Visible direct children, sorted by name. */
  static List<Path> children(Path dir) {
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(Folders::isVisible).sorted(Comparator.comparing(Path::toString)).toList();
    } catch (IOException e) {
      throw new InvalidDatasetException("cannot list folder " + dir.getFileName() + ": " + e, e);
    }
  }

  static List<Path> subfolders(Path dir) {
    return children(dir).stream().filter(Files::isDirectory).toList();
  }

  /** Visible image files anywhere under {@code dir}, hidden folders skipped, sorted by path. */
  static List<Path> imagesUnder(Path dir) {
    List<Path> images = new ArrayList<>();
    for (Path child : children(dir)) {
      if (Files.isDirectory(child)) {
        images.addAll(imagesUnder(child));
      } else if (ImageFiles.isImage(child)) {
        images.add(child);
      }
    }
    return images;
  }

  /**
   * Descends through folders that only wrap one other folder (as zips made by "compress folder"
   * do): a folder with exactly one sub-folder and no image or IDX file, unless that sub-folder is a
   * split folder or holds images itself (then it is a class, not a wrapper).
   */
  static Path unwrap(Path root) {
    Path current = root;
    for (int depth = 0; depth < MAX_WRAPPER_DEPTH; depth++) {
      List<Path> children = children(current);
      List<Path> dirs = children.stream().filter(Files::isDirectory).toList();
      boolean hasData =
          children.stream().anyMatch(p -> ImageFiles.isImage(p) || IdxFiles.isIdxFile(p));
      if (dirs.size() != 1 || hasData) {
        return current;
      }
      Path only = dirs.get(0);
      boolean onlyHoldsImages =
          children(only).stream().noneMatch(Files::isDirectory)
              && children(only).stream().noneMatch(IdxFiles::isIdxFile);
      if (SplitName.of(only) != null || onlyHoldsImages) {
        return current;
      }
      current = only;
    }
    return current;
  }

  /** The split folder names a data set may use, case-insensitive. */
  enum SplitName {
    TRAIN,
    VALIDATION,
    TEST;

    static SplitName of(Path folder) {
      return switch (folder.getFileName().toString().toLowerCase(Locale.ROOT)) {
        case "train", "training" -> TRAIN;
        case "val", "valid", "validation" -> VALIDATION;
        case "test", "testing" -> TEST;
        default -> null;
      };
    }
  }
}
