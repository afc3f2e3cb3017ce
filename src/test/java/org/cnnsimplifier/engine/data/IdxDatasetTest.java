package org.cnnsimplifier.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.cnnsimplifier.engine.InvalidDatasetException;
import org.cnnsimplifier.engine.model.InputShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

class IdxDatasetTest {
  private static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  @TempDir Path tmp;

  private DatasetOptions options() {
    return DatasetOptions.defaults().withWorkDir(tmp.resolve("work"));
  }

  /** train: 50 images of 4x3 in 10 classes; t10k: 20 images. */
  private Path idxFolder(boolean gzip) {
    Path dir = tmp.resolve("idx");
    String gz = gzip ? ".gz" : "";
    TestImages.writeBytes(
        dir.resolve("train-images-idx3-ubyte" + gz), TestImages.idxImages(50, 4, 3), gzip);
    TestImages.writeBytes(
        dir.resolve("train-labels-idx1-ubyte" + gz), TestImages.idxLabels(50, 10), gzip);
    TestImages.writeBytes(
        dir.resolve("t10k-images-idx3-ubyte" + gz), TestImages.idxImages(20, 4, 3), gzip);
    TestImages.writeBytes(
        dir.resolve("t10k-labels-idx1-ubyte" + gz), TestImages.idxLabels(20, 10), gzip);
    return dir;
  }

  @Test
  void readsGzippedIdxAndDeletesTheGunzippedCopyOnClose() {
    try (ImageDataset ds =
        ImageDatasets.open(idxFolder(true), options().withValidationFraction(0.2))) {
      assertThat(ds.classes()).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
      assertThat(ds.imageShape()).isEqualTo(new InputShape(1, 4, 3));
      assertThat(ds.summary().total("train")).isEqualTo(40);
      assertThat(ds.summary().total("validation")).isEqualTo(10);
      assertThat(ds.summary().count("validation", "3")).isEqualTo(1);
      assertThat(ds.summary().total("test")).isEqualTo(20);
      assertThat(ds.summary().sourceKind()).isEqualTo(SourceKind.IDX);
      assertThat(TestImages.contents(tmp.resolve("work"))).isNotEmpty();
    }
    assertThat(TestImages.contents(tmp.resolve("work"))).isEmpty();
  }

  @Test
  void readsPlainIdxImagesAsUnsignedBytesScaledToOne() {
    try (ImageDataset ds = ImageDatasets.open(idxFolder(false), options())) {
      DataSetIterator test = ds.test(8).orElseThrow();
      DataSet first = test.next();

      assertThat(first.getFeatures().shape()).containsExactly(8, 1, 4, 3);
      // Image i has pixels (7 i) % 256 and label i % 10; image 19 is 133, over 127 as a signed
      // byte.
      for (int i = 0; i < 8; i++) {
        assertThat(first.getFeatures().getFloat(i, 0, 3, 2)).isEqualTo((i * 7 % 256) / 255f);
        assertThat(first.getLabels().getFloat(i, i % 10)).isEqualTo(1f);
      }
      test.next();
      DataSet last = test.next();
      assertThat(last.numExamples()).isEqualTo(4);
      assertThat(last.getFeatures().getFloat(3, 0, 0, 0)).isEqualTo(133 / 255f);
      assertThat(test.hasNext()).isFalse();
    }
  }

  @Test
  void adaptsIdxImagesToRgbTarget() {
    try (ImageDataset ds =
        ImageDatasets.open(idxFolder(false), options().adaptTo(new InputShape(3, 8, 6)))) {
      DataSet batch = ds.train(4, 3).next();

      assertThat(batch.getFeatures().shape()).containsExactly(4, 3, 8, 6);
    }
  }

  @Test
  void readsIdxFilesInsideAZip() {
    Path zip = TestImages.zip(idxFolder(true), tmp.resolve("mnist.zip"));

    try (ImageDataset ds = ImageDatasets.open(zip, options())) {
      assertThat(ds.summary().sourceKind()).isEqualTo(SourceKind.IDX_ZIP);
      assertThat(ds.summary().total("test")).isEqualTo(20);
    }
  }

  @Test
  void opensTheFolderOfAGivenIdxFile() {
    Path images = idxFolder(false).resolve("train-images-idx3-ubyte");

    try (ImageDataset ds = ImageDatasets.open(images, options())) {
      assertThat(ds.summary().total("test")).isEqualTo(20);
    }
  }

  @Test
  void rejectsIdxWithBadMagic() {
    Path dir = idxFolder(false);
    byte[] images = TestImages.idxImages(50, 4, 3);
    ByteBuffer.wrap(images).putInt(0, 0x00000d03); // type 0x0d: floats, not unsigned bytes
    TestImages.writeBytes(dir.resolve("train-images-idx3-ubyte"), images, false);

    assertThatThrownBy(() -> ImageDatasets.open(dir, options()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("train-images-idx3-ubyte")
        .hasMessageContaining("magic number 0x00000d03")
        .hasMessageContaining("0x00000803");
  }

  @Test
  void rejectsIdxWhoseImageAndLabelCountsDiffer() {
    Path dir = idxFolder(true);
    TestImages.writeBytes(
        dir.resolve("t10k-labels-idx1-ubyte.gz"), TestImages.idxLabels(19, 10), true);

    assertThatThrownBy(() -> ImageDatasets.open(dir, options()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("20 images but 19 labels")
        .hasMessageContaining("t10k-labels-idx1-ubyte.gz");
    assertThat(TestImages.contents(tmp.resolve("work"))).isEmpty();
  }

  @Test
  void rejectsTruncatedIdxImages() {
    Path dir = idxFolder(false);
    byte[] images = TestImages.idxImages(50, 4, 3);
    TestImages.writeBytes(
        dir.resolve("train-images-idx3-ubyte"),
        java.util.Arrays.copyOf(images, images.length - 5),
        false);

    assertThatThrownBy(() -> ImageDatasets.open(dir, options()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void readsTheRealFashionMnistTestFiles() throws Exception {
    Path images = FASHION_MNIST.resolve("t10k-images-idx3-ubyte.gz");
    assumeTrue(Files.exists(images), "Fashion-MNIST is not installed");
    // Only the test pair, copied, keeps the test fast (the train file is 26 MB gunzipped).
    Path dir = Files.createDirectories(tmp.resolve("fashion"));
    Files.copy(images, dir.resolve("train-images-idx3-ubyte.gz"));
    Files.copy(
        FASHION_MNIST.resolve("t10k-labels-idx1-ubyte.gz"),
        dir.resolve("train-labels-idx1-ubyte.gz"));

    try (ImageDataset ds = ImageDatasets.open(dir, options())) {
      DataSet batch = ds.validation(16).next();

      assertThat(ds.classes()).hasSize(10);
      assertThat(ds.imageShape()).isEqualTo(new InputShape(1, 28, 28));
      assertThat(ds.summary().total("train") + ds.summary().total("validation")).isEqualTo(10_000);
      assertThat(ds.summary().count("validation", "0")).isEqualTo(100);
      assertThat(batch.getFeatures().maxNumber().floatValue()).isBetween(0.5f, 1f);
      assertThat(batch.getFeatures().minNumber().floatValue()).isGreaterThanOrEqualTo(0f);
    }
  }
}
