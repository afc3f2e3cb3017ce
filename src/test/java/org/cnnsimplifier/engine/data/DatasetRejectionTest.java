package org.cnnsimplifier.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cnnsimplifier.engine.InvalidDatasetException;
import org.cnnsimplifier.engine.model.InputShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

class DatasetRejectionTest {
  @TempDir Path tmp;

  private Path work() {
    return tmp.resolve("work");
  }

  private DatasetOptions options() {
    return DatasetOptions.defaults().withWorkDir(work());
  }

  @Test
  void rejectsMissingPath() {
    assertThatThrownBy(() -> ImageDatasets.open(tmp.resolve("nowhere"), options()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("nowhere")
        .hasMessageContaining("does not exist");
  }

  @Test
  void rejectsFileThatIsNeitherFolderZipNorIdx() throws IOException {
    Path text = Files.writeString(tmp.resolve("notes.txt"), "hello");

    assertThatThrownBy(() -> ImageDatasets.open(text, options()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("notes.txt is neither a folder, a .zip archive nor IDX files");
  }

  @Test
  void rejectsZipEntryEscapingFolderBeforeWritingAnything() {
    byte[] png = TestImages.png(TestImages.rgb(4, 4, 0));
    Path zip =
        TestImages.zipEntries(tmp.resolve("evil.zip"), png, "a/1.png", "b/../../escaped.png");

    assertThatThrownBy(() -> ImageDatasets.open(zip, options()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("b/../../escaped.png")
        .hasMessageContaining("leaves the archive's folder");
    assertThat(TestImages.contents(work())).isEmpty();
    assertThat(tmp.resolve("escaped.png")).doesNotExist();
  }

  @Test
  void rejectsZipEntryWithAbsolutePath() {
    byte[] png = TestImages.png(TestImages.rgb(4, 4, 0));
    Path zip = TestImages.zipEntries(tmp.resolve("abs.zip"), png, "a/1.png", "/tmp/b/1.png");

    assertThatThrownBy(() -> ImageDatasets.open(zip, options()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("/tmp/b/1.png");
    assertThat(TestImages.contents(work())).isEmpty();
  }

  @Test
  void rejectsZipExpandingBeyondTheSizeLimitAndDeletesWhatWasExtracted() throws IOException {
    // 1 MB of zeros compresses to about 1 KB; the headers are not what is checked.
    Path zip =
        TestImages.zipEntries(tmp.resolve("bomb.zip"), new byte[1 << 20], "a/1.png", "b/1.png");

    assertThatThrownBy(
            () -> ImageDatasets.open(zip, options().withLimits(new ArchiveLimits(1_500_000, 100))))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("more than 1500000 bytes")
        .hasMessageContaining("zip bomb");
    assertThat(Files.size(zip)).isLessThan(100_000);
    assertThat(TestImages.contents(work())).isEmpty();
  }

  @Test
  void refusesAZipBombFromTheSizesItDeclaresBeforeWritingAnything() throws IOException {
    // 96 MiB of zeros deflate to about 100 KB: a thousandfold expansion, far within the 8 GiB.
    Path zip =
        TestImages.zipEntries(tmp.resolve("bomb.zip"), new byte[96 << 20], "a/1.png", "b/1.png");

    assertThatThrownBy(() -> ImageDatasets.open(zip, options()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("looks like a zip bomb")
        .hasMessageContaining("a/1.png");
    assertThat(Files.size(zip)).isLessThan(1_000_000);
    assertThat(TestImages.contents(work())).isEmpty();
  }

  @Test
  void rejectsZipWithTooManyEntries() {
    String[] names = new String[12];
    Arrays.setAll(names, i -> (i % 2 == 0 ? "a/" : "b/") + i + ".png");
    Path zip =
        TestImages.zipEntries(
            tmp.resolve("many.zip"), TestImages.png(TestImages.rgb(2, 2, 0)), names);

    assertThatThrownBy(
            () -> ImageDatasets.open(zip, options().withLimits(new ArchiveLimits(1 << 30, 10))))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("more than 10 entries");
    assertThat(TestImages.contents(work())).isEmpty();
  }

  @Test
  void rejectsEmptyClassFolderNamingIt() throws IOException {
    Path root = TestImages.classFolders(tmp.resolve("ds"), List.of("cat", "dog"), 2);
    Files.createDirectories(root.resolve("bird"));
    Files.writeString(root.resolve("bird/readme.txt"), "no images here");

    assertThatThrownBy(() -> ImageDatasets.open(root, options()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("class folder bird holds no PNG or JPEG image");
  }

  @Test
  void deletesExtractedFilesWhenOpeningAZipFails() throws IOException {
    Path content = TestImages.classFolders(tmp.resolve("content"), List.of("cat", "dog"), 2);
    Files.createDirectories(content.resolve("bird"));
    Files.writeString(content.resolve("bird/readme.txt"), "no images here");
    Path zip = TestImages.zip(content, tmp.resolve("d.zip"));

    assertThatThrownBy(() -> ImageDatasets.open(zip, options()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("bird");
    assertThat(Files.exists(work())).isTrue();
    assertThat(TestImages.contents(work())).isEmpty();
  }

  @Test
  void rejectsFewerThanTwoClasses() {
    Path root = TestImages.classFolders(tmp.resolve("ds"), List.of("only"), 3);

    assertThatThrownBy(() -> ImageDatasets.open(root, options()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("at least 2 classes")
        .hasMessageContaining("[only]");
  }

  @Test
  void rejectsCorruptImageAtOpenNamingTheFile() throws IOException {
    Path root = TestImages.classFolders(tmp.resolve("ds"), List.of("cat", "dog"), 2);
    Files.write(root.resolve("dog/broken.png"), new byte[] {1, 2, 3, 4, 5});

    assertThatThrownBy(() -> ImageDatasets.open(root, options()))
        .isInstanceOf(InvalidDatasetException.class)
        .hasMessageContaining("dog/broken.png")
        .hasMessageContaining("remove or replace");
  }

  @Test
  void reportsImageWhosePixelsCannotBeDecodedWhenItsBatchIsRead() throws IOException {
    Path root = TestImages.classFolders(tmp.resolve("ds"), List.of("cat", "dog"), 2);
    // A valid header (size and colour type) but image data cut off.
    byte[] png = TestImages.png(TestImages.gray(64, 64, (x, y) -> (x * 31 + y * 17) % 256));
    Path damaged = root.resolve("dog/cut.png");
    Files.write(damaged, Arrays.copyOf(png, 60));

    try (ImageDataset ds = ImageDatasets.open(root, options().adaptTo(new InputShape(3, 8, 8)))) {
      DataSetIterator it = ds.train(10, 0);

      assertThatThrownBy(it::next)
          .isInstanceOf(InvalidDatasetException.class)
          .hasMessageContaining("dog/cut.png");
    }
  }
}
