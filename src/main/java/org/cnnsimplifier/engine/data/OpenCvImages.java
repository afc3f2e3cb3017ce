package org.cnnsimplifier.engine.data;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_ANYCOLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_ANYDEPTH;
import static org.bytedeco.opencv.global.opencv_imgcodecs.imdecode;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.cnnsimplifier.engine.model.InputShape;

/**
 * Decodes image files with OpenCV's {@code imdecode}, as DataVec's {@code NativeImageLoader} does
 * (same library, same flags: any depth, any colour), but straight into 8-bit channel-major RGB
 * bytes instead of its float {@code INDArray}: a third of the memory traffic and no ND4J array per
 * image. Images that are not 8-bit, or that OpenCV cannot read, are left to {@code javax.imageio}.
 */
final class OpenCvImages {
  private static final System.Logger log = System.getLogger(OpenCvImages.class.getName());
  private static final boolean AVAILABLE = load();

  private OpenCvImages() {}

  private static boolean load() {
    try {
      // NativeImageLoader's class initialisation loads the OpenCV natives it needs.
      Class.forName("org.datavec.image.loader.NativeImageLoader");
      try (Mat probe = new Mat(new byte[] {0})) {
        imdecode(probe, IMREAD_ANYDEPTH | IMREAD_ANYCOLOR).close();
      }
      return true;
    } catch (Throwable e) {
      log.log(
          Level.WARNING, "OpenCV is not available, images are decoded with javax.imageio: " + e);
      return false;
    }
  }

  /** Whether OpenCV's natives loaded on this platform. */
  static boolean available() {
    return AVAILABLE;
  }

  /**
   * The image as 8-bit gray (1 channel) or RGB (3 channels, alpha dropped), or {@code null} when
   * OpenCV is unavailable, cannot decode the file, or it has more than 8 bits per sample.
   */
  static Pixels8 decode(Path file) throws IOException {
    if (!AVAILABLE) {
      return null;
    }
    byte[] encoded = Files.readAllBytes(file);
    if (encoded.length == 0) {
      return null;
    }
    try (Mat buffer = new Mat(encoded);
        Mat image = imdecode(buffer, IMREAD_ANYDEPTH | IMREAD_ANYCOLOR)) {
      if (image == null || image.empty() || image.depth() != CV_8U || image.dims() != 2) {
        return null;
      }
      int channels = image.channels();
      int height = image.rows();
      int width = image.cols();
      if (channels != 1 && channels != 3 && channels != 4) {
        return null;
      }
      int plane = height * width;
      byte[] interleaved = new byte[plane * channels];
      long step = image.step();
      BytePointer data = image.data();
      if (step == (long) width * channels) {
        data.get(interleaved);
      } else {
        for (int y = 0; y < height; y++) {
          data.position(y * step).get(interleaved, y * width * channels, width * channels);
        }
      }
      if (channels == 1) {
        return new Pixels8(new InputShape(1, height, width), interleaved);
      }
      // OpenCV gives BGR(A) interleaved; the data sets are RGB, channel-major.
      byte[] out = new byte[3 * plane];
      for (int i = 0, j = 0; i < plane; i++, j += channels) {
        out[i] = interleaved[j + 2];
        out[plane + i] = interleaved[j + 1];
        out[2 * plane + i] = interleaved[j];
      }
      return new Pixels8(new InputShape(3, height, width), out);
    }
  }
}
