package org.cnnsimplifier.catalog.upload;

import java.io.IOException;
import java.io.InputStream;
import java.util.Enumeration;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Guards against zip bombs, and models too large to load, before Deeplearning4j restores a model
 * zip: DL4J 1.0.0-M2.1 reads every entry into a byte array on the heap (then the parameters
 * off-heap), trusting the archive. The entries are counted and fully inflated once here, counting
 * the bytes actually produced (header sizes can lie), against the limits.
 *
 * <p>The central directory is read (with {@link ZipFile}), because that is what DL4J reads; a
 * stream reader could be shown different entries than DL4J later sees.
 */
public final class ModelZipCheck {
  /** The entries holding parameter and updater arrays, which may legitimately be large. */
  private static final Set<String> ARRAY_ENTRIES = Set.of("coefficients.bin", "updaterState.bin");

  private static final int BUFFER = 64 * 1024;

  private ModelZipCheck() {}

  /**
   * Limits on a model zip.
   *
   * @param maxEntries entries the archive may hold
   * @param maxTotalBytes bytes all entries together may inflate to
   * @param maxOtherEntryBytes bytes any entry other than the parameter and updater arrays may
   *     inflate to: those are read onto the heap whole
   */
  public record Limits(int maxEntries, long maxTotalBytes, long maxOtherEntryBytes) {}

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
            if (entryBytes > entryLimit) {
              throw UploadProblems.unprocessable(
                  name
                      + ": entry "
                      + entry.getName()
                      + " inflates to more than "
                      + entryLimit
                      + " bytes; it may be a zip bomb");
            }
            if (total > limits.maxTotalBytes()) {
              throw UploadProblems.unprocessable(
                  name
                      + " inflates to more than "
                      + limits.maxTotalBytes()
                      + " bytes, more than this service can load into memory"
                      + " (cnn.uploads.max-model-uncompressed-bytes; by default a quarter of the"
                      + " Java heap)");
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
