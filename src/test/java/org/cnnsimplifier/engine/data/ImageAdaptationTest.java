package org.cnnsimplifier.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import org.cnnsimplifier.engine.DatasetMismatchException;
import org.cnnsimplifier.engine.InvalidDatasetException;
import org.cnnsimplifier.engine.model.InputShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

class ImageAdaptationTest {
  @TempDir Path tmp;

  private DatasetOptions options() {
    return DatasetOptions.defaults().withWorkDir(tmp.resolve("work")).withValidationFraction(0);
  }

  /** Two classes with one image each: {@code a} and {@code b}. */
  private Path twoImages(BufferedImage a, BufferedImage b) {
    Path root = tmp.resolve("ds");
    TestImages.write(a, root.resolve("a/1.png"));
    TestImages.write(b, root.resolve("b/1.png"));
    return root;
  }

  /** The features of the first image of class a (train order is shuffled; find it by label). */
  private static INDArray imageOfClassA(ImageDataset ds) {
    var batch = ds.train(2, 0).next();
    int row = batch.getLabels().getFloat(0, 0) == 1f ? 0 : 1;
    return batch.getFeatures().dup().slice(row).dup();
  }

  @Test
  void replicatesGrayIntoThreeChannels() {
    BufferedImage gray = TestImages.gray(4, 4, (x, y) -> 200);
    Path root = twoImages(gray, gray);

    try (ImageDataset ds = ImageDatasets.open(root, options().adaptTo(new InputShape(3, 4, 4)))) {
      INDArray image = imageOfClassA(ds);

      assertThat(image.shape()).containsExactly(3, 4, 4);
      for (int c = 0; c < 3; c++) {
        assertThat(image.getFloat(c, 1, 2)).isCloseTo(200 / 255f, within(1e-6f));
      }
    }
  }

  @Test
  void convertsRgbToGrayByLuminance() {
    BufferedImage color = TestImages.rgb(4, 4, (100 << 16) | (50 << 8) | 200);
    Path root = twoImages(color, color);

    try (ImageDataset ds = ImageDatasets.open(root, options().adaptTo(new InputShape(1, 4, 4)))) {
      INDArray image = imageOfClassA(ds);

      float expected = (0.299f * 100 + 0.587f * 50 + 0.114f * 200) / 255f;
      assertThat(image.shape()).containsExactly(1, 4, 4);
      assertThat(image.getFloat(0, 3, 3)).isCloseTo(expected, within(1e-5f));
    }
  }

  @Test
  void dropsAlpha() {
    BufferedImage argb = new BufferedImage(3, 3, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 3; x++) {
        argb.setRGB(x, y, (0x40 << 24) | (255 << 16));
      }
    }
    Path root = twoImages(argb, argb);

    try (ImageDataset ds = ImageDatasets.open(root, options())) {
      INDArray image = imageOfClassA(ds);

      assertThat(ds.imageShape()).isEqualTo(new InputShape(3, 3, 3));
      assertThat(image.getFloat(0, 1, 1)).isEqualTo(1f);
      assertThat(image.getFloat(1, 1, 1)).isZero();
    }
  }

  @Test
  void resizesBilinearly() {
    // A horizontal ramp 0, 85, 170, 255 doubled to 8 columns keeps its ends and interpolates.
    BufferedImage ramp = TestImages.gray(4, 2, (x, y) -> 85 * x);
    Path root = twoImages(ramp, ramp);

    try (ImageDataset ds = ImageDatasets.open(root, options().adaptTo(new InputShape(1, 4, 8)))) {
      INDArray image = imageOfClassA(ds);

      assertThat(image.shape()).containsExactly(1, 4, 8);
      assertThat(image.getFloat(0, 0, 0)).isZero();
      assertThat(image.getFloat(0, 3, 7)).isEqualTo(1f);
      // Output column 1 samples source x = 0.25: a quarter of the way from 0 to 85.
      assertThat(image.getFloat(0, 2, 1) * 255f).isCloseTo(21.25f, within(1e-3f));
      for (int x = 1; x < 8; x++) {
        assertThat(image.getFloat(0, 1, x)).isGreaterThanOrEqualTo(image.getFloat(0, 1, x - 1));
      }
    }
  }

  @Test
  void downscalesImagesOfDifferentSizesToTheTarget() {
    Path root = twoImages(TestImages.rgb(10, 12, 0xffffff), TestImages.gray(5, 5, (x, y) -> 255));

    try (ImageDataset ds = ImageDatasets.open(root, options().adaptTo(new InputShape(3, 4, 4)))) {
      var batch = ds.train(2, 0).next();

      assertThat(batch.getFeatures().shape()).containsExactly(2, 3, 4, 4);
      assertThat(batch.getFeatures().minNumber().floatValue()).isEqualTo(1f);
    }
  }

  @Test
  void rejectsImagesOfAnotherShapeWithoutAdapt() {
    BufferedImage gray = TestImages.gray(28, 28, (x, y) -> 0);
    Path root = twoImages(gray, gray);

    assertThatThrownBy(
            () -> ImageDatasets.open(root, options().withTarget(new InputShape(3, 32, 32))))
        .isInstanceOf(DatasetMismatchException.class)
        .hasMessageContaining("a/1.png")
        .hasMessageContaining("1x28x28")
        .hasMessageContaining("3x32x32")
        .hasMessageContaining("adapt");
  }

  @Test
  void rejectsImagesWhoseSizeDiffersFromTheFirstWhenNoTarget() {
    Path root = twoImages(TestImages.rgb(8, 8, 0), TestImages.rgb(9, 8, 0));

    assertThatThrownBy(() -> ImageDatasets.open(root, options()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("b/1.png")
        .hasMessageContaining("3x8x9")
        .hasMessageContaining("3x8x8");
  }

  @Test
  void keepsImagesThatAlreadyHaveTheTargetShape() {
    Path root = twoImages(TestImages.rgb(8, 8, 0x0000ff), TestImages.rgb(8, 8, 0));

    try (ImageDataset ds =
        ImageDatasets.open(root, options().withTarget(new InputShape(3, 8, 8)))) {
      assertThat(ds.imageShape()).isEqualTo(new InputShape(3, 8, 8));
      assertThat(imageOfClassA(ds).getFloat(2, 0, 0)).isEqualTo(1f);
    }
  }
}
