package org.cnnsimplifier.catalog;

import java.util.Map;
import org.cnnsimplifier.system.ApiException;
import org.springframework.http.ContentDisposition;

/** Names of uploads: given explicitly, or taken from the file the client sent. */
final class UploadNames {
  static final int MAX_LENGTH = 255;

  private UploadNames() {}

  /**
   * The explicit name when given, else the file's name without folders, else the fallback.
   *
   * @throws ApiException 400 when the explicit name is blank or longer than {@value #MAX_LENGTH}
   */
  static String choose(String explicit, String fileName, String fallback) {
    if (explicit != null) {
      String name = clean(explicit);
      if (name.isEmpty() || name.length() > MAX_LENGTH) {
        throw ApiException.badRequest(
            "name must have 1 to " + MAX_LENGTH + " characters",
            Map.of("name", "must have 1 to " + MAX_LENGTH + " characters"));
      }
      return name;
    }
    if (fileName != null) {
      String last =
          fileName.substring(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
      String name = clean(last);
      if (!name.isEmpty()) {
        return name.length() > MAX_LENGTH ? name.substring(0, MAX_LENGTH) : name;
      }
    }
    return fallback;
  }

  /** The filename of a Content-Disposition header, or null. */
  static String fromContentDisposition(String header) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      return ContentDisposition.parse(header).getFilename();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String clean(String name) {
    return name.replaceAll("\\p{Cntrl}", "").strip();
  }
}
