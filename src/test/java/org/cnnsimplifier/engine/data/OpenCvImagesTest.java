package org.cnnsimplifier.engine.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OpenCV decodes what ImageIO decodes: PNG to the same bytes, JPEG within decoder tolerance. */
class OpenCvImagesTest {
  @TempDir Path tmp;

  @BeforeAll
  static void nativesLoad() {
    // The build is for linux-x86_64, where DataVec's OpenCV natives exist: they must load.
    assertThat(OpenCvImages.available()).isTrue();
  }

  @Test
  void pngGivesTheSameBytesAsImageIo() throws Exception {
    BufferedImage rgb = PhotoLikeImages.rgb(37, 29, 1);
    assertSame(TestImages.write(rgb, tmp.resolve("rgb.png")), 3);
    assertSame(TestImages.write(PhotoLikeImages.gray(rgb), tmp.resolve("gray.png")), 1);
    BufferedImage argb = new BufferedImage(37, 29, BufferedImage.TYPE_INT_ARGB);
    argb.getGraphics().drawImage(rgb, 0, 0, null);
    argb.setRGB(3, 4, 0x20ff8040);
    assertSame(TestImages.write(argb, tmp.resolve("rgba.png")), 3);
    BufferedImage indexed = new BufferedImage(37, 29, BufferedImage.TYPE_BYTE_INDEXED);
    indexed.getGraphics().drawImage(rgb, 0, 0, null);
    assertSame(TestImages.write(indexed, tmp.resolve("palette.png")), 3);
  }

  private static void assertSame(Path file, int channels) throws Exception {
    Pixels8 openCv = OpenCvImages.decode(file);
    Pixels8 imageIo = ImageFiles.decode8(file, file.getFileName().toString());
    assertThat(openCv).as(file.getFileName().toString()).isNotNull();
    assertThat(openCv.shape()).isEqualTo(imageIo.shape());
    assertThat(openCv.shape().channels()).isEqualTo(channels);
    assertThat(openCv.data()).as(file.getFileName().toString()).isEqualTo(imageIo.data());
    // The shape ImageIO reads from the header (the data set's shape) is what OpenCV decodes.
    assertThat(ImageFiles.readShape(file, "x")).isEqualTo(openCv.shape());
  }

  @Test
  void jpegAgreesWithImageIoWithinDecoderTolerance() throws Exception {
    for (int seed = 0; seed < 4; seed++) {
      BufferedImage rgb = PhotoLikeImages.rgb(64, 48, seed);
      checkJpeg(PhotoLikeImages.writeJpeg(rgb, tmp.resolve(seed + ".jpg"), 0.9f), 3);
      checkJpeg(
          PhotoLikeImages.writeJpeg(
              PhotoLikeImages.gray(rgb), tmp.resolve(seed + "-gray.jpg"), 0.9f),
          1);
    }
  }

  private static void checkJpeg(Path file, int channels) throws Exception {
    Pixels8 openCv = OpenCvImages.decode(file);
    Pixels8 imageIo = ImageFiles.decode8(file, "x");
    assertThat(openCv.shape()).isEqualTo(imageIo.shape());
    assertThat(openCv.shape().channels()).isEqualTo(channels);
    double[] diff = difference(openCv.data(), imageIo.data());
    // Both are IJG-style decoders (libjpeg-turbo, the JDK's libjpeg 6b): rounding in the inverse
    // DCT and chroma upsampling, a level or two, not a different picture.
    assertThat(diff[0]).as("mean absolute difference in levels").isLessThan(1.0);
    assertThat(diff[1]).as("largest difference in levels").isLessThanOrEqualTo(12);
  }

  static double[] difference(byte[] a, byte[] b) {
    double sum = 0;
    int max = 0;
    for (int i = 0; i < a.length; i++) {
      int d = Math.abs((a[i] & 0xff) - (b[i] & 0xff));
      sum += d;
      max = Math.max(max, d);
    }
    return new double[] {sum / a.length, max};
  }

  @Test
  void leavesSixteenBitImagesToImageIo() throws Exception {
    BufferedImage deep = new BufferedImage(8, 8, BufferedImage.TYPE_USHORT_GRAY);
    deep.getRaster().setSample(2, 3, 0, 40000);
    Path file = TestImages.write(deep, tmp.resolve("deep.png"));
    assertThat(OpenCvImages.decode(file)).isNull();
    assertThat(ImageFiles.decode8(file, "deep.png")).isNull();
    assertThat(ImageDecoding.decode(file, "deep.png", ImageDecoder.AUTO).data()[3 * 8 + 2])
        .isEqualTo(40000 / 65535f);
  }

  @Test
  void notAnImageIsLeftToImageIoWhichNamesIt() throws Exception {
    Path file = Files.write(tmp.resolve("broken.jpg"), new byte[] {1, 2, 3, 4});
    assertThat(OpenCvImages.decode(file)).isNull();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ImageDecoding.decode(file, "cats/broken.jpg", ImageDecoder.AUTO))
        .isInstanceOf(org.cnnsimplifier.engine.InvalidDatasetException.class)
        .hasMessageContaining("cats/broken.jpg");
  }
}
