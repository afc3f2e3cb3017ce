package org.cnnsimplifier.engine.data;

import java.io.IOException;
import java.nio.file.Path;

/** Decodes one image file with the library {@link ImageDecoder} chooses. */
final class ImageDecoding {

  private ImageDecoding() {}

  /** Values in [0, 1], channel-major, gray or RGB. */
  static Pixels decode(Path file, String displayName, ImageDecoder decoder) {
    Pixels8 fast = openCv(file, displayName, decoder);
    return fast != null ? fast.toPixels() : ImageFiles.decode(file, displayName);
  }

  /** Values 0–255, or {@code null} for an image of more than 8 bits per gray sample. */
  static Pixels8 decode8(Path file, String displayName, ImageDecoder decoder) {
    Pixels8 fast = openCv(file, displayName, decoder);
    return fast != null ? fast : ImageFiles.decode8(file, displayName);
  }

  private static Pixels8 openCv(Path file, String displayName, ImageDecoder decoder) {
    if (decoder != ImageDecoder.AUTO) {
      return null;
    }
    try {
      return OpenCvImages.decode(file);
    } catch (IOException e) {
      throw ImageFiles.corrupt(displayName, e);
    }
  }
}
