package org.cnnsimplifier.catalog;

import java.util.Set;
import org.cnnsimplifier.catalog.upload.UploadProblems;
import org.springframework.http.MediaType;

/** Checks the Content-Type a client declared for an upload, before any byte is read. */
final class DeclaredTypes {

  private DeclaredTypes() {}

  /**
   * Passes when the type is absent (the content decides) or one of {@code accepted}.
   *
   * @param what what is being uploaded, for the message ("model", "data set")
   * @param acceptedText the accepted types in words, for the message
   * @throws org.cnnsimplifier.system.ApiException 415 otherwise
   */
  static void check(String contentType, Set<String> accepted, String what, String acceptedText) {
    if (contentType == null || contentType.isBlank()) {
      return;
    }
    MediaType type;
    try {
      type = MediaType.parseMediaType(contentType);
    } catch (IllegalArgumentException e) {
      throw UploadProblems.unsupportedType(
          "Content-Type '" + contentType + "' is not valid; send " + acceptedText);
    }
    String bare = type.getType() + "/" + type.getSubtype();
    if (!accepted.contains(bare)) {
      throw UploadProblems.unsupportedType(
          "Content-Type " + bare + " is not a " + what + " type; send " + acceptedText);
    }
  }
}
