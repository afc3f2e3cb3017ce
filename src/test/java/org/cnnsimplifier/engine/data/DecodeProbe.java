package org.cnnsimplifier.engine.data;

import java.io.IOException;
import java.nio.file.Path;

/** The engine's decoders one image at a time, for the decode benchmark. */
public final class DecodeProbe {

  private DecodeProbe() {}

  /** Whether OpenCV's natives loaded. */
  public static boolean openCvAvailable() {
    return OpenCvImages.available();
  }

  /** 8-bit channel-major pixels by {@code javax.imageio}. */
  public static byte[] imageIo(Path file) {
    return ImageFiles.decode8(file, file.getFileName().toString()).data();
  }

  /** 8-bit channel-major pixels by OpenCV, {@code null} if it cannot. */
  public static byte[] openCv(Path file) throws IOException {
    Pixels8 pixels = OpenCvImages.decode(file);
    return pixels == null ? null : pixels.data();
  }

  /** Whether the data set's batches come from a tensor store. */
  public static boolean stored(ImageDataset dataset) {
    return dataset instanceof StreamedImageDataset streamed && streamed.stored();
  }
}
