package org.cnnsimplifier.engine.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.cnnsimplifier.engine.model.InputShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

class ImageFolderDatasetTest {
  @TempDir Path tmp;

  private DatasetOptions options() {
    return DatasetOptions.defaults().withWorkDir(tmp.resolve("work"));
  }

  @Test
  void countsImagesPerClassInEachSplitFolder() {
    Path root = tmp.resolve("ds");
    TestImages.classFolders(root.resolve("train"), List.of("cat", "dog"), 4);
    TestImages.classFolders(root.resolve("validation"), List.of("cat", "dog"), 2);
    TestImages.classFolders(root.resolve("test"), List.of("cat"), 3);

    try (ImageDataset ds = ImageDatasets.open(root, options())) {
      DatasetSummary summary = ds.summary();
      assertThat(ds.classes()).containsExactly("cat", "dog");
      assertThat(summary.count("train", "cat")).isEqualTo(4);
      assertThat(summary.count("validation", "dog")).isEqualTo(2);
      assertThat(summary.counts().get("test")).containsEntry("cat", 3).containsEntry("dog", 0);
      assertThat(summary.imageShape()).isEqualTo(new InputShape(3, 8, 8));
      assertThat(summary.sourceKind()).isEqualTo(SourceKind.IMAGE_FOLDERS);
      assertThat(ds.test(2)).isPresent();
    }
  }

  @Test
  void acceptsValAsValidationFolderName() {
    Path root = tmp.resolve("ds");
    TestImages.classFolders(root.resolve("train"), List.of("a", "b"), 2);
    TestImages.classFolders(root.resolve("val"), List.of("a", "b"), 1);

    try (ImageDataset ds = ImageDatasets.open(root, options())) {
      assertThat(ds.summary().total("train")).isEqualTo(4);
      assertThat(ds.summary().total("validation")).isEqualTo(2);
      assertThat(ds.summary().hasTest()).isFalse();
      assertThat(ds.test(2)).isEmpty();
    }
  }

  @Test
  void readsZipWithOneTopLevelFolderWrappingTheClasses() {
    Path content = tmp.resolve("content");
    TestImages.classFolders(content.resolve("flowers"), List.of("rose", "tulip", "daisy"), 3);
    Path zip = TestImages.zip(content, tmp.resolve("flowers.zip"));

    try (ImageDataset ds = ImageDatasets.open(zip, options().withValidationFraction(0))) {
      assertThat(ds.classes()).containsExactly("daisy", "rose", "tulip");
      assertThat(ds.summary().total("train")).isEqualTo(9);
      assertThat(ds.summary().sourceKind()).isEqualTo(SourceKind.IMAGE_FOLDERS_ZIP);
    }
  }

  @Test
  void ignoresMacOsMetadataAroundAWrapperFolder() throws Exception {
    Path content = tmp.resolve("content");
    TestImages.classFolders(content.resolve("pets/train"), List.of("cat", "dog"), 2);
    java.nio.file.Files.createDirectories(content.resolve("__MACOSX/pets"));
    java.nio.file.Files.writeString(content.resolve("__MACOSX/pets/._x.png"), "resource fork");
    java.nio.file.Files.writeString(content.resolve("pets/.DS_Store"), "finder");
    Path zip = TestImages.zip(content, tmp.resolve("pets.zip"));

    try (ImageDataset ds = ImageDatasets.open(zip, options().withValidationFraction(0.5))) {
      assertThat(ds.classes()).containsExactly("cat", "dog");
      assertThat(ds.summary().total("train")).isEqualTo(2);
      assertThat(ds.summary().total("validation")).isEqualTo(2);
    }
  }

  @Test
  void closingDeletesTheExtractedZip() {
    Path content = TestImages.classFolders(tmp.resolve("content"), List.of("a", "b"), 2);
    Path zip = TestImages.zip(content, tmp.resolve("d.zip"));

    ImageDataset ds = ImageDatasets.open(zip, options());
    assertThat(TestImages.contents(tmp.resolve("work"))).isNotEmpty();
    ds.close();

    assertThat(TestImages.contents(tmp.resolve("work"))).isEmpty();
  }

  @Test
  void splitsTrainIntoValidationReproduciblyAndPerClass() {
    Path root = TestImages.classFolders(tmp.resolve("ds"), List.of("a", "b", "c"), 10);
    DatasetOptions split = options().withValidationFraction(0.2).withSeed(7);

    List<Float> first = validationReds(root, split);
    List<Float> again = validationReds(root, split);
    List<Float> otherSeed = validationReds(root, split.withSeed(8));

    assertThat(first).hasSize(6).isEqualTo(again).isNotEqualTo(otherSeed);
    try (ImageDataset ds = ImageDatasets.open(root, split)) {
      for (String c : List.of("a", "b", "c")) {
        assertThat(ds.summary().count("validation", c)).isEqualTo(2);
        assertThat(ds.summary().count("train", c)).isEqualTo(8);
      }
    }
  }

  /** The red value of each validation image, which identifies it. */
  private List<Float> validationReds(Path root, DatasetOptions options) {
    List<Float> reds = new ArrayList<>();
    try (ImageDataset ds = ImageDatasets.open(root, options)) {
      DataSetIterator it = ds.validation(4);
      while (it.hasNext()) {
        DataSet batch = it.next();
        for (int i = 0; i < batch.numExamples(); i++) {
          reds.add(batch.getFeatures().getFloat(i, 0, 0, 0));
        }
      }
    }
    return reds;
  }

  @Test
  void trainIteratorReshufflesDeterministicallyWithTheSameSeed() {
    Path root = TestImages.classFolders(tmp.resolve("ds"), List.of("a", "b"), 8);
    try (ImageDataset ds = ImageDatasets.open(root, options().withValidationFraction(0))) {
      DataSetIterator one = ds.train(5, 42);
      DataSetIterator two = ds.train(5, 42);
      List<Float> epoch1 = reds(one);
      one.reset();
      List<Float> epoch2 = reds(one);
      List<Float> twoEpoch1 = reds(two);
      two.reset();
      List<Float> twoEpoch2 = reds(two);

      assertThat(epoch1).hasSize(16).isEqualTo(twoEpoch1);
      assertThat(epoch2).isEqualTo(twoEpoch2).isNotEqualTo(epoch1);
      assertThat(new HashSet<>(epoch2)).isEqualTo(new HashSet<>(epoch1)).hasSize(16);
      assertThat(reds(ds.train(5, 43))).isNotEqualTo(epoch1);
    }
  }

  private static List<Float> reds(DataSetIterator it) {
    List<Float> reds = new ArrayList<>();
    while (it.hasNext()) {
      DataSet batch = it.next();
      for (int i = 0; i < batch.numExamples(); i++) {
        reds.add(batch.getFeatures().getFloat(i, 0, 0, 0));
      }
    }
    return reds;
  }

  @Test
  void batchesAreNchwFloatsWithOneHotLabels() {
    Path root = TestImages.classFolders(tmp.resolve("ds"), List.of("a", "b", "c"), 3);
    try (ImageDataset ds = ImageDatasets.open(root, options().withValidationFraction(0))) {
      DataSetIterator it = ds.validation(4);
      it.reset();
      DataSetIterator train = ds.train(4, 1);

      assertThat(train.batch()).isEqualTo(4);
      assertThat(train.totalOutcomes()).isEqualTo(3);
      assertThat(train.inputColumns()).isEqualTo(3 * 8 * 8);
      assertThat(train.resetSupported()).isTrue();
      List<long[]> shapes = new ArrayList<>();
      Set<Integer> labelsSeen = new HashSet<>();
      while (train.hasNext()) {
        DataSet batch = train.next();
        assertThat(batch.getFeatures().dataType()).isEqualTo(DataType.FLOAT);
        shapes.add(batch.getFeatures().shape());
        assertThat(batch.getLabels().shape()).containsExactly(batch.numExamples(), 3);
        assertThat(batch.getLabels().sum(1).toFloatVector()).containsOnly(1f);
        for (int i = 0; i < batch.numExamples(); i++) {
          int label = batch.getLabels().getRow(i).argMax().getInt(0);
          labelsSeen.add(label);
          // Class k's images have red = (10 k + i) / 255: the label matches the folder.
          float red = batch.getFeatures().getFloat(i, 0, 3, 3) * 255f;
          assertThat(Math.round(red) / 10).isEqualTo(label);
          assertThat(batch.getFeatures().getFloat(i, 1, 3, 3)).isZero();
        }
      }
      assertThat(shapes)
          .containsExactly(
              new long[] {4, 3, 8, 8}, new long[] {4, 3, 8, 8}, new long[] {1, 3, 8, 8});
      assertThat(labelsSeen).containsExactlyInAnyOrder(0, 1, 2);
    }
  }

  @Test
  void readsJpegImages() {
    Path root = tmp.resolve("ds");
    for (String c : List.of("x", "y")) {
      TestImages.write(TestImages.rgb(6, 5, 0x808080), root.resolve(c).resolve("img.JPG"));
      TestImages.write(TestImages.rgb(6, 5, 0x808080), root.resolve(c).resolve("img2.jpeg"));
    }
    try (ImageDataset ds = ImageDatasets.open(root, options().withValidationFraction(0.5))) {
      DataSet batch = ds.train(8, 0).next();

      assertThat(ds.imageShape()).isEqualTo(new InputShape(3, 5, 6));
      assertThat(batch.getFeatures().getFloat(0, 2, 2, 2)).isCloseTo(128 / 255f, within(0.02f));
    }
  }

  private static org.assertj.core.data.Offset<Float> within(float delta) {
    return org.assertj.core.data.Offset.offset(delta);
  }
}
