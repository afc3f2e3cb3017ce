package org.cnnsimplifier.catalog.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Puts IDX files uploaded as separate parts (images and labels, gzipped or not) into one zip, the
 * form a data set is stored in. Each part's role comes from its content (the IDX magic number, read
 * through gzip if need be); its split from its name ({@code train-…}, {@code t10k-…}, …). Two parts
 * named otherwise, one images and one labels, are taken as the training pair.
 */
public final class IdxBundle {
  private static final Pattern IDX_NAME =
      Pattern.compile("(?i)^(.+?)[-._](images|labels)[-._]idx([13])-ubyte(\\.gz)?$");

  private IdxBundle() {}

  /**
   * Zips the parts into a new file of the workspace.
   *
   * @param parts the received IDX files
   * @param zipName the name of the zip to make
   * @throws org.cnnsimplifier.system.ApiException 415 for a part that is not an IDX file; 422 when
   *     the parts' names do not say their splits
   */
  public static ReceivedFile bundle(
      List<ReceivedFile> parts, UploadWorkspace workspace, String zipName) throws IOException {
    boolean[] images = new boolean[parts.size()];
    boolean[] gzipped = new boolean[parts.size()];
    for (int i = 0; i < parts.size(); i++) {
      ReceivedFile part = parts.get(i);
      gzipped[i] = part.type() == FileType.GZIP;
      FileType inner = gzipped[i] ? gunzippedType(part) : part.type();
      if (inner != FileType.IDX_IMAGES && inner != FileType.IDX_LABELS) {
        throw UploadProblems.unsupportedType(
            part.fileName()
                + " is not an IDX file of images (magic 0x00000803) or labels (0x00000801),"
                + " plain or gzipped; send one zip, or IDX files only");
      }
      images[i] = inner == FileType.IDX_IMAGES;
    }
    List<String> names = entryNames(parts, images, gzipped);
    Path zip = workspace.newFile(zipName);
    MessageDigest sha256 = UploadWorkspace.sha256();
    try (OutputStream file = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(new DigestOutputStream(file, sha256))) {
      // Fast rather than small: IDX pixels compress well even so, gzipped parts not at all.
      out.setLevel(Deflater.BEST_SPEED);
      for (int i = 0; i < parts.size(); i++) {
        out.putNextEntry(new ZipEntry(names.get(i)));
        Files.copy(parts.get(i).path(), out);
        out.closeEntry();
      }
    }
    return new ReceivedFile(
        zip,
        Files.size(zip),
        HexFormat.of().formatHex(sha256.digest()),
        FileType.ZIP,
        zip.getFileName().toString());
  }

  private static List<String> entryNames(
      List<ReceivedFile> parts, boolean[] images, boolean[] gzipped) {
    String[] prefixes = new String[parts.size()];
    boolean allNamed = true;
    for (int i = 0; i < parts.size(); i++) {
      Matcher m = IDX_NAME.matcher(parts.get(i).fileName());
      prefixes[i] = m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
      allNamed &= prefixes[i] != null;
    }
    if (!allNamed) {
      boolean onePair = parts.size() == 2 && images[0] != images[1];
      if (!onePair) {
        throw UploadProblems.unprocessable(
            "cannot tell the splits of the IDX files: name them like"
                + " train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],"
                + " t10k-images-idx3-ubyte[.gz] and t10k-labels-idx1-ubyte[.gz]");
      }
      prefixes[0] = "train";
      prefixes[1] = "train";
    }
    List<String> names =
        java.util.stream.IntStream.range(0, parts.size())
            .mapToObj(
                i ->
                    prefixes[i]
                        + (images[i] ? "-images-idx3-ubyte" : "-labels-idx1-ubyte")
                        + (gzipped[i] ? ".gz" : ""))
            .toList();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < names.size(); i++) {
      String stem = names.get(i).replaceFirst("\\.gz$", "");
      if (!seen.add(stem)) {
        throw UploadProblems.unprocessable(
            "two IDX files are " + stem + " (" + parts.get(i).fileName() + " is one); send one");
      }
    }
    return names;
  }

  private static FileType gunzippedType(ReceivedFile part) {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(part.path()))) {
      byte[] head = in.readNBytes(FileType.HEAD_BYTES);
      return FileType.sniff(head, head.length);
    } catch (IOException e) {
      throw UploadProblems.unprocessable(
          part.fileName() + " is not a readable gzip file: " + e.getMessage());
    }
  }
}
