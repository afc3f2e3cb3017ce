package org.cnnsimplifier.catalog.upload;

import java.io.IOException;
import java.io.InputStream;
import java.util.Enumeration;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.cnnsimplifier.engine.data.ArchiveLimits;
import org.cnnsimplifier.engine.data.SafeZip;

/**
 * Guards against zip bombs, and models too large to load, before Deeplearning4j restores a model
 * zip: DL4J 1.0.0-M2.1 reads every entry into a byte array on the heap (then the parameters
 * off-heap), trusting the archive. Entry names are checked as a data set's are (no absolute path,
 * no {@code ..} leaving the archive), the sizes the archive declares are checked first, then the
 * entries are counted and fully inflated once here, counting the bytes actually produced (header
 * sizes can lie), against the limits.
 *
 * <p>The central directory is read (with {@link ZipFile}), because that is what DL4J reads; a
 * stream reader could be shown different entries than DL4J later sees.
 */
public final class ModelZipCheck {
  /**
   * The entries holding parameter and updater arrays, which may legitimately be large and compress
   * without bound (a fresh updater's state is all zeros, so are zeroed kernels): only the total
   * size limits them, not their compression ratio.
   */
  private static final Set<String> ARRAY_ENTRIES = Set.of("coefficients.bin", "updaterState.bin");

  private static final int BUFFER = 64 * 1024;

  private ModelZipCheck() {}

  private static void checkNamesAndDeclaredSizes(ZipFile zip, String name, ArchiveLimits limits) {
    long declared = 0;
    Enumeration<? extends ZipEntry> entries = zip.entries();
    while (entries.hasMoreElements()) {
      ZipEntry entry = entries.nextElement();
      if (SafeZip.normalizedName(entry.getName()) == null) {
        throw UploadProblems.unprocessable(
            name
                + " has an entry whose path leaves the archive's folder: '"
                + entry.getName()
                + "'; nothing was stored. Save the model again (ModelSerializer writes relative"
                + " names only)");
      }
      long size = Math.max(entry.getSize(), 0);
      declared += size;
      if (declared > limits.maxUncompressedBytes()) {
        throw tooLarge(name, limits.maxUncompressedBytes());
      }
      if (!ARRAY_ENTRIES.contains(entry.getName())
          && !limits.ratioAllows(size, entry.getCompressedSize())) {
        throw UploadProblems.unprocessable(
            name
                + ": entry "
                + entry.getName()
                + " would inflate from "
                + entry.getCompressedSize()
                + " to "
                + size
                + " bytes; it looks like a zip bomb");
      }
    }
  }

  private static org.cnnsimplifier.system.ApiException tooLarge(String name, long limit) {
    return UploadProblems.unprocessable(
        name
            + " is too large: it inflates to more than "
            + limit
            + " bytes, more than this service can load into memory"
            + " (cnn.uploads.max-model-uncompressed-bytes; by default a quarter of the"
            + " Java heap)");
  }

  /**
   * Limits on a model zip.
   *
   * @param maxEntries entries the archive may hold
   * @param maxTotalBytes bytes all entries together may inflate to
   * @param maxOtherEntryBytes bytes any entry other than the parameter and updater arrays may
   *     inflate to: those are read onto the heap whole
   * @param maxRatio how many times its compressed size an entry past 64 MiB may inflate to
   */
  public record Limits(int maxEntries, long maxTotalBytes, long maxOtherEntryBytes, int maxRatio) {

    ArchiveLimits asArchiveLimits() {
      return new ArchiveLimits(maxTotalBytes, maxEntries, maxRatio);
    }
  }

  /**
   * Checks the zip against the limits.
   *
   * @throws org.cnnsimplifier.system.ApiException 422 naming the limit that was passed, or when the
   *     archive cannot be read
   */
  public static void check(ReceivedFile file, Limits limits) {
    String name = file.fileName();
    try (ZipFile zip = new ZipFile(file.path().toFile())) {
      if (zip.size() > limits.maxEntries()) {
        throw UploadProblems.unprocessable(
            name + " has " + zip.size() + " entries; a model zip may have " + limits.maxEntries());
      }
      ArchiveLimits archive = limits.asArchiveLimits();
      checkNamesAndDeclaredSizes(zip, name, archive);
      long total = 0;
      byte[] buffer = new byte[BUFFER];
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        long entryLimit =
            ARRAY_ENTRIES.contains(entry.getName()) ? Long.MAX_VALUE : limits.maxOtherEntryBytes();
        long entryBytes = 0;
        try (InputStream in = zip.getInputStream(entry)) {
          int n;
          while ((n = in.read(buffer)) > 0) {
            entryBytes += n;
            total += n;
            if (entryBytes > entryLimit
                || !ARRAY_ENTRIES.contains(entry.getName())
                    && !archive.ratioAllows(entryBytes, entry.getCompressedSize())) {
              throw UploadProblems.unprocessable(
                  name
                      + ": entry "
                      + entry.getName()
                      + " inflates to more than "
                      + entryLimit
                      + " bytes; it may be a zip bomb");
            }
            if (total > limits.maxTotalBytes()) {
              throw tooLarge(name, limits.maxTotalBytes());
            }
          }
        }
      }
    } catch (IOException e) {
      throw UploadProblems.unprocessable(
          name + " is not a readable zip archive (truncated or damaged?): " + e.getMessage());
    }
  }
}
