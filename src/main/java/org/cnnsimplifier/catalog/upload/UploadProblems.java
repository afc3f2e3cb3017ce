package org.cnnsimplifier.catalog.upload;

import org.cnnsimplifier.system.ApiException;
import org.springframework.http.HttpStatus;

/** The refusals of an upload, as problem details: too large, wrong type, unusable content. */
public final class UploadProblems {

  private UploadProblems() {}

  /** 413: the body passed the configured limit (cnn.uploads.max-bytes). */
  public static ApiException tooLarge(long limitBytes) {
    return new ApiException(
        HttpStatus.CONTENT_TOO_LARGE,
        "the upload is larger than the limit of "
            + limitBytes
            + " bytes (cnn.uploads.max-bytes); nothing was stored");
  }

  /** 415: the declared Content-Type or the content's magic bytes are not an accepted type. */
  public static ApiException unsupportedType(String detail) {
    return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, detail);
  }

  /** 422: the content has an accepted type but cannot be used (damaged, unsafe, malformed). */
  public static ApiException unprocessable(String detail) {
    return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, detail);
  }
}
