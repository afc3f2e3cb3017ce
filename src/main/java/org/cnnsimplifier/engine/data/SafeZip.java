package org.cnnsimplifier.engine.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.cnnsimplifier.engine.InvalidDatasetException;

/**
 * Extracts a zip archive without trusting it: every entry name is checked before anything is
 * written (no absolute paths, no {@code ..} escaping the folder), the entry count is bounded, and
 * the bytes actually inflated are counted against the limit while writing (sizes in headers can
 * lie).
 */
public final class SafeZip {
  private static final int BUFFER = 64 * 1024;

  private SafeZip() {}

  /** Whether the file starts like a zip archive (local header or empty-archive record). */
  static boolean looksLikeZip(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4
          && magic[0] == 'P'
          && magic[1] == 'K'
          && ((magic[2] == 3 && magic[3] == 4) || (magic[2] == 5 && magic[3] == 6));
    } catch (IOException e) {
      throw new InvalidDatasetException("cannot read " + file.getFileName() + ": " + e, e);
    }
  }

  /**
   * Extracts {@code zip} into {@code relativeTarget} inside the work area. The work area's
   * directory is only made once every entry name, the entry count and the sizes the archive
   * declares have been checked; while inflating, each buffer is counted before it is written.
   */
  static void extract(Path zip, WorkArea work, Path relativeTarget, ArchiveLimits limits) {
    String archive = zip.getFileName().toString();
    try (ZipFile file = new ZipFile(zip.toFile())) {
      List<ZipEntry> entries = checkedEntries(file, archive, limits);
      Path target = Files.createDirectories(work.dir().resolve(relativeTarget));
      long written = 0;
      byte[] buffer = new byte[BUFFER];
      for (ZipEntry entry : entries) {
        Path out = target.resolve(normalizedName(entry.getName()));
        if (entry.isDirectory()) {
          Files.createDirectories(out);
          continue;
        }
        Files.createDirectories(out.getParent());
        long entryBytes = 0;
        try (InputStream in = file.getInputStream(entry);
            OutputStream os = Files.newOutputStream(out)) {
          int n;
          while ((n = in.read(buffer)) > 0) {
            entryBytes += n;
            written += n;
            if (written > limits.maxUncompressedBytes()) {
              throw tooLarge(archive, limits);
            }
            if ((entry.getSize() >= 0 && entryBytes > entry.getSize())
                || !limits.ratioAllows(entryBytes, entry.getCompressedSize())) {
              throw bomb(archive, entry, "inflates to more than its header says");
            }
            os.write(buffer, 0, n);
          }
        }
      }
    } catch (IOException e) {
      throw new InvalidDatasetException(
          archive + " is not a readable zip archive (" + e.getMessage() + "); re-create it", e);
    }
  }

  /** The uncompressed size the archive declares, checked with the names before any write. */
  private static void checkDeclaredSizes(
      List<ZipEntry> entries, String archive, ArchiveLimits limits) {
    long declared = 0;
    for (ZipEntry entry : entries) {
      long size = Math.max(entry.getSize(), 0);
      declared += size;
      if (declared > limits.maxUncompressedBytes()) {
        throw tooLarge(archive, limits);
      }
      if (!limits.ratioAllows(size, entry.getCompressedSize())) {
        throw bomb(
            archive,
            entry,
            "would expand "
                + size / Math.max(entry.getCompressedSize(), 1)
                + " times (from "
                + entry.getCompressedSize()
                + " to "
                + size
                + " bytes; images and IDX files expand a few times, at most "
                + limits.maxRatio()
                + ")");
      }
    }
  }

  private static InvalidDatasetException tooLarge(String archive, ArchiveLimits limits) {
    return new InvalidDatasetException(
        "zip archive "
            + archive
            + " is too large: it expands to more than "
            + limits.maxUncompressedBytes()
            + " bytes (the limit, cnn.uploads.max-dataset-uncompressed-bytes); it may be a zip"
            + " bomb, or the limit must be raised; nothing was kept");
  }

  private static InvalidDatasetException bomb(String archive, ZipEntry entry, String what) {
    return new InvalidDatasetException(
        "zip archive "
            + archive
            + " looks like a zip bomb: entry '"
            + entry.getName()
            + "' "
            + what
            + "; nothing was kept. Re-create the zip from the images themselves");
  }

  private static List<ZipEntry> checkedEntries(ZipFile file, String archive, ArchiveLimits limits) {
    List<ZipEntry> entries = new ArrayList<>();
    Enumeration<? extends ZipEntry> all = file.entries();
    while (all.hasMoreElements()) {
      ZipEntry entry = all.nextElement();
      if (entries.size() >= limits.maxEntries()) {
        throw new InvalidDatasetException(
            "zip archive "
                + archive
                + " has more than "
                + limits.maxEntries()
                + " entries (the limit); it may be a zip bomb, or the limit must be raised");
      }
      String name = normalizedName(entry.getName());
      if (name == null) {
        throw new InvalidDatasetException(
            "zip archive "
                + archive
                + " has an entry whose path leaves the archive's folder: '"
                + entry.getName()
                + "'; nothing was extracted. Re-create the zip with relative paths only");
      }
      entries.add(entry);
    }
    checkDeclaredSizes(entries, archive, limits);
    return entries;
  }

  /**
   * The entry name as a safe relative path with '/' separators, or {@code null} if it is absolute
   * or climbs out of the archive's folder. Backslashes count as separators (zips made on Windows).
   */
  public static String normalizedName(String raw) {
    String name = raw.replace('\\', '/');
    if (name.startsWith("/") || name.matches("^[A-Za-z]:.*") || name.indexOf('\0') >= 0) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    for (String part : name.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.remove(parts.size() - 1);
        continue;
      }
      parts.add(part);
    }
    return parts.isEmpty() ? "." : String.join("/", parts);
  }
}
