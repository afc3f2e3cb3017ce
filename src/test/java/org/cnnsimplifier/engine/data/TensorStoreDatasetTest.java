package org.cnnsimplifier.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.cnnsimplifier.engine.InvalidDatasetException;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.InputPreprocessing.ChannelOrder;
import org.cnnsimplifier.engine.model.InputShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** Data sets read from a tensor store give the batches decoding per batch gives. */
class TensorStoreDatasetTest {
  private static final InputPreprocessing IMAGENET_BGR =
      InputPreprocessing.of(
          1.0 / 255, List.of(0.485, 0.456, 0.406), List.of(0.229, 0.224, 0.225), ChannelOrder.BGR);

  @TempDir Path tmp;

  /** 3 classes of photo-like images, 12×10, as PNG or JPEG, some of them gray. */
  private Path dataset(String extension) {
    Path root = tmp.resolve("ds-" + extension);
    int seed = 0;
    for (String cls : List.of("a", "b", "c")) {
      for (int i = 0; i < 5; i++) {
        BufferedImage image = PhotoLikeImages.rgb(12, 10, seed++);
        Path file = root.resolve(cls).resolve(i + "." + extension);
        if (extension.equals("png")) {
          TestImages.write(i == 4 ? PhotoLikeImages.gray(image) : image, file);
        } else {
          PhotoLikeImages.writeJpeg(i == 4 ? PhotoLikeImages.gray(image) : image, file, 0.9f);
        }
      }
    }
    return root;
  }

  private DatasetOptions streamed(ImageDecoder decoder) {
    return DatasetOptions.defaults()
        .withWorkDir(tmp.resolve("work"))
        .withValidationFraction(0.2)
        .withSeed(3)
        .adaptTo(new InputShape(3, 10, 12))
        .withPreprocessing(IMAGENET_BGR)
        .withDecode(DecodeOptions.perBatch().withDecoder(decoder));
  }

  private DatasetOptions stored(long maxBytes) {
    return streamed(ImageDecoder.AUTO)
        .withDecode(DecodeOptions.stored(tmp.resolve("stores"), "sha-1", maxBytes));
  }

  private static List<float[]> batches(ImageDataset ds) {
    List<float[]> out = new ArrayList<>();
    List<DataSetIterator> iterators = new ArrayList<>();
    iterators.add(ds.train(4, 11));
    iterators.add(ds.validation(4));
    for (DataSetIterator it : iterators) {
      for (int epoch = 0; epoch < 2; epoch++) {
        while (it.hasNext()) {
          DataSet batch = it.next();
          out.add(batch.getFeatures().dup().data().asFloat());
          out.add(batch.getLabels().dup().data().asFloat());
        }
        it.reset();
      }
    }
    return out;
  }

  private List<Path> storeFiles() throws Exception {
    Path dir = tmp.resolve("stores");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.toList();
    }
  }

  @Test
  void pngBatchesFromTheStoreEqualStreamedImageIoBatchesExactly() throws Exception {
    Path root = dataset("png");
    List<float[]> expected;
    try (ImageDataset ds = ImageDatasets.open(root, streamed(ImageDecoder.IMAGEIO))) {
      assertThat(((StreamedImageDataset) ds).stored()).isFalse();
      expected = batches(ds);
    }
    try (ImageDataset ds = ImageDatasets.open(root, stored(1L << 30))) {
      assertThat(((StreamedImageDataset) ds).stored()).isTrue();
      List<float[]> actual = batches(ds);
      assertThat(actual).hasSameSizeAs(expected);
      for (int i = 0; i < expected.size(); i++) {
        assertThat(actual.get(i)).as("batch array " + i).isEqualTo(expected.get(i));
      }
    }
    assertThat(storeFiles()).hasSize(1);
    assertThat(storeFiles().get(0).getFileName().toString()).startsWith("3x10x12-bgr-");
  }

  @Test
  void jpegBatchesFromTheStoreAgreeWithStreamedImageIoWithinDecoderTolerance() {
    Path root = dataset("jpg");
    List<float[]> expected;
    try (ImageDataset ds = ImageDatasets.open(root, streamed(ImageDecoder.IMAGEIO))) {
      expected = batches(ds);
    }
    try (ImageDataset ds = ImageDatasets.open(root, stored(1L << 30))) {
      assertThat(((StreamedImageDataset) ds).stored()).isTrue();
      List<float[]> actual = batches(ds);
      // 2 levels of 255, through ImageNet's smallest std.
      float tolerance = 2f / 255 / 0.224f;
      for (int i = 0; i < expected.size(); i++) {
        float[] a = actual.get(i);
        float[] e = expected.get(i);
        assertThat(a).hasSameSizeAs(e);
        for (int k = 0; k < a.length; k++) {
          assertThat(Math.abs(a[k] - e[k])).isLessThanOrEqualTo(tolerance);
        }
      }
    }
  }

  @Test
  void resizedImagesAreStoredRoundedToEightBits() {
    Path root = dataset("png");
    InputShape small = new InputShape(3, 7, 5);
    List<float[]> expected;
    try (ImageDataset ds =
        ImageDatasets.open(root, streamed(ImageDecoder.IMAGEIO).adaptTo(small))) {
      expected = batches(ds);
    }
    try (ImageDataset ds = ImageDatasets.open(root, stored(1L << 30).adaptTo(small))) {
      assertThat(((StreamedImageDataset) ds).stored()).isTrue();
      List<float[]> actual = batches(ds);
      float halfLevel = 0.5f / 255 / 0.224f + 1e-6f;
      boolean someDiffer = false;
      for (int i = 0; i < expected.size(); i++) {
        for (int k = 0; k < expected.get(i).length; k++) {
          float d = Math.abs(actual.get(i)[k] - expected.get(i)[k]);
          assertThat(d).isLessThanOrEqualTo(halfLevel);
          someDiffer |= d > 0;
        }
      }
      assertThat(someDiffer).as("the bilinear resize is rounded, not kept as floats").isTrue();
    }
  }

  @Test
  void everyDataSetOpenedAlikeSharesOneStoreBuiltOnce() throws Exception {
    Path root = dataset("png");
    try (ImageDataset first = ImageDatasets.open(root, stored(1L << 30))) {
      Path file = storeFiles().get(0);
      long built = Files.getLastModifiedTime(file).toMillis();
      Thread.sleep(20);
      try (ImageDataset second = ImageDatasets.open(root, stored(1L << 30))) {
        assertThat(((StreamedImageDataset) second).stored()).isTrue();
        assertThat(batches(second)).hasSameSizeAs(batches(first));
      }
      assertThat(storeFiles()).containsExactly(file);
      assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(built);
    }
    // Another channel order, or another shape, is another store; another source key, another too.
    try (ImageDataset rgb =
        ImageDatasets.open(
            root, stored(1L << 30).withPreprocessing(InputPreprocessing.defaults()))) {
      assertThat(((StreamedImageDataset) rgb).stored()).isTrue();
    }
    assertThat(storeFiles()).hasSize(2);
  }

  @Test
  void aDamagedStoreIsRebuilt() throws Exception {
    Path root = dataset("png");
    List<float[]> expected;
    try (ImageDataset ds = ImageDatasets.open(root, stored(1L << 30))) {
      expected = batches(ds);
    }
    Path file = storeFiles().get(0);
    TensorStoreFileTest.flipByte(file, TensorStoreFile.HEADER_BYTES + 100);
    try (ImageDataset ds = ImageDatasets.open(root, stored(1L << 30))) {
      assertThat(((StreamedImageDataset) ds).stored()).isTrue();
      List<float[]> actual = batches(ds);
      for (int i = 0; i < expected.size(); i++) {
        assertThat(actual.get(i)).isEqualTo(expected.get(i));
      }
    }
    // Truncated (a copy cut short by a full disk): rebuilt as well.
    try (var channel =
        java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
      channel.truncate(Files.size(file) - 10);
    }
    try (ImageDataset ds = ImageDatasets.open(root, stored(1L << 30))) {
      assertThat(((StreamedImageDataset) ds).stored()).isTrue();
    }
    assertThat(Files.size(file)).isEqualTo(TensorStoreFile.HEADER_BYTES + 15L * 3 * 10 * 12);
  }

  @Test
  void aDataSetLargerThanTheLimitIsDecodedPerBatch() throws Exception {
    Path root = dataset("png");
    List<float[]> expected;
    try (ImageDataset ds = ImageDatasets.open(root, streamed(ImageDecoder.IMAGEIO))) {
      expected = batches(ds);
    }
    long storeBytes = 15L * 3 * 10 * 12;
    try (ImageDataset ds = ImageDatasets.open(root, stored(storeBytes - 1))) {
      assertThat(((StreamedImageDataset) ds).stored()).isFalse();
      List<float[]> actual = batches(ds);
      for (int i = 0; i < expected.size(); i++) {
        assertThat(actual.get(i)).isEqualTo(expected.get(i));
      }
    }
    assertThat(storeFiles()).isEmpty();
    try (ImageDataset ds = ImageDatasets.open(root, stored(storeBytes))) {
      assertThat(((StreamedImageDataset) ds).stored()).isTrue();
    }
  }

  @Test
  void sixteenBitImagesAreDecodedPerBatch() throws Exception {
    Path root = tmp.resolve("deep");
    for (String cls : List.of("a", "b")) {
      for (int i = 0; i < 3; i++) {
        BufferedImage deep = new BufferedImage(6, 6, BufferedImage.TYPE_USHORT_GRAY);
        deep.getRaster().setSample(i, 2, 0, 1000 + 20000 * i);
        TestImages.write(deep, root.resolve(cls).resolve(i + ".png"));
      }
    }
    DatasetOptions options =
        DatasetOptions.defaults()
            .withWorkDir(tmp.resolve("work"))
            .withDecode(DecodeOptions.stored(tmp.resolve("stores"), "sha-2", 1L << 30));
    try (ImageDataset ds = ImageDatasets.open(root, options)) {
      assertThat(((StreamedImageDataset) ds).stored()).isFalse();
      assertThat(ds.train(2, 1).next().getFeatures().maxNumber().floatValue())
          .isEqualTo(41000 / 65535f);
    }
    try (Stream<Path> files = Files.list(tmp.resolve("stores"))) {
      assertThat(files.toList()).as("no store, no temporary file").isEmpty();
    }
  }

  @Test
  void aDamagedImageFailsTheOpeningByNameAndLeavesNoStore() throws Exception {
    Path root = dataset("png");
    // Cut short after its header: the check at open passes, decoding fails.
    Path damaged = root.resolve("b").resolve("2.png");
    byte[] whole = Files.readAllBytes(damaged);
    Files.write(damaged, java.util.Arrays.copyOf(whole, whole.length / 2));
    assertThatThrownBy(() -> ImageDatasets.open(root, stored(1L << 30)))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("b/2.png");
    assertThat(storeFiles()).isEmpty();
  }
}
