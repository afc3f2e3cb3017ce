package org.cnnsimplifier.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** The test slice a data set without a test split holds out of its training images. */
class HeldOutSplitTest {
  @TempDir Path tmp;

  private DatasetOptions options() {
    return DatasetOptions.defaults().withWorkDir(tmp.resolve("work"));
  }

  /** train: 100 images of 4x3, label i % 10; with {@code test}, t10k: 20 more. */
  private Path idx(boolean test) {
    Path dir = tmp.resolve(test ? "with-test" : "train-only");
    TestImages.writeBytes(
        dir.resolve("train-images-idx3-ubyte"), TestImages.idxImages(100, 4, 3), false);
    TestImages.writeBytes(
        dir.resolve("train-labels-idx1-ubyte"), TestImages.idxLabels(100, 10), false);
    if (test) {
      TestImages.writeBytes(
          dir.resolve("t10k-images-idx3-ubyte"), TestImages.idxImages(20, 4, 3), false);
      TestImages.writeBytes(
          dir.resolve("t10k-labels-idx1-ubyte"), TestImages.idxLabels(20, 10), false);
    }
    return dir;
  }

  @Test
  void holdsOutADisjointStratifiedSeededTestSliceWhenThereIsNoTestSplit() {
    DatasetOptions split = options().withValidationFraction(0.1).withTestFraction(0.2).withSeed(3);
    List<Integer> train;
    List<Integer> validation;
    List<Integer> test;
    try (ImageDataset ds = ImageDatasets.open(idx(false), split)) {
      assertThat(ds.testSplitName()).isEqualTo("held-out");
      assertThat(ds.summary().testHeldOut()).isTrue();
      assertThat(ds.summary().testSplitName()).isEqualTo("held-out");
      // Both shares are of the 10 training images per class: 2 held out, 1 validation, 7 train.
      for (int c = 0; c < 10; c++) {
        assertThat(ds.summary().count("test", Integer.toString(c))).isEqualTo(2);
        assertThat(ds.summary().count("validation", Integer.toString(c))).isEqualTo(1);
        assertThat(ds.summary().count("train", Integer.toString(c))).isEqualTo(7);
      }
      train = ids(ds.train(16, 1));
      validation = ids(ds.validation(16));
      test = ids(ds.test(16).orElseThrow());
    }
    assertThat(test).hasSize(20).doesNotContainAnyElementsOf(train);
    assertThat(test).doesNotContainAnyElementsOf(validation);
    assertThat(validation).hasSize(10).doesNotContainAnyElementsOf(train);
    List<Integer> all = new ArrayList<>(train);
    all.addAll(validation);
    all.addAll(test);
    assertThat(all).containsExactlyInAnyOrderElementsOf(IntStream.range(0, 100).boxed().toList());

    try (ImageDataset again = ImageDatasets.open(idx(false), split);
        ImageDataset otherSeed = ImageDatasets.open(idx(false), split.withSeed(4))) {
      assertThat(ids(again.test(16).orElseThrow())).isEqualTo(test);
      assertThat(ids(again.validation(16))).isEqualTo(validation);
      assertThat(ids(otherSeed.test(16).orElseThrow())).isNotEqualTo(test);
    }
  }

  @Test
  void aTestSplitOfTheDataSetIsKeptAndNothingIsHeldOut() {
    try (ImageDataset ds =
        ImageDatasets.open(
            idx(true), options().withValidationFraction(0.1).withTestFraction(0.2))) {
      assertThat(ds.testSplitName()).isEqualTo("test");
      assertThat(ds.summary().testHeldOut()).isFalse();
      assertThat(ds.summary().total("test")).isEqualTo(20);
      assertThat(ds.summary().total("validation")).isEqualTo(10);
      assertThat(ds.summary().total("train")).isEqualTo(90);
    }
  }

  @Test
  void withoutATestFractionNothingIsHeldOut() {
    try (ImageDataset ds = ImageDatasets.open(idx(false), options())) {
      assertThat(ds.summary().hasTest()).isFalse();
      assertThat(ds.summary().testSplitName()).isNull();
      assertThat(ds.test(16)).isEmpty();
      assertThat(ds.summary().total("train") + ds.summary().total("validation")).isEqualTo(100);
    }
  }

  @Test
  void validationTakesTheClassesInTurnSoItsFirstImagesAreStratified() {
    // 40 images of class 0, then 40 of class 1: file order is by class.
    Path dir = tmp.resolve("by-class");
    java.nio.ByteBuffer labels = java.nio.ByteBuffer.allocate(8 + 80);
    labels.putInt(0x00000801).putInt(80);
    for (int i = 0; i < 80; i++) {
      labels.put((byte) (i < 40 ? 0 : 1));
    }
    TestImages.writeBytes(
        dir.resolve("train-images-idx3-ubyte"), TestImages.idxImages(80, 4, 3), false);
    TestImages.writeBytes(dir.resolve("train-labels-idx1-ubyte"), labels.array(), false);

    try (ImageDataset ds = ImageDatasets.open(dir, options().withValidationFraction(0.25))) {
      DataSetIterator validation = ds.validation(6);
      INDArray firstLabels = validation.next().getLabels();
      for (int n = 0; n < 6; n++) {
        assertThat(firstLabels.getDouble(n, n % 2)).as("image " + n).isEqualTo(1.0);
      }
    }
  }

  @Test
  void refusesSharesThatLeaveNoTrainingImages() {
    assertThatThrownBy(() -> options().withValidationFraction(0.5).withTestFraction(0.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("validationFraction + testFraction must be below 1");
  }

  /** Image i of {@link TestImages#idxImages} has pixels (7 i) % 256; 183 is 7's inverse mod 256. */
  private static List<Integer> ids(DataSetIterator images) {
    List<Integer> ids = new ArrayList<>();
    images.reset();
    while (images.hasNext()) {
      INDArray features = images.next().getFeatures();
      for (int n = 0; n < features.size(0); n++) {
        int value = (int) Math.round(features.getDouble(n, 0, 0, 0) * 255);
        ids.add(value * 183 % 256);
      }
    }
    return ids;
  }
}
