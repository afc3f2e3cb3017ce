package org.cnnsimplifier.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every blob store must do; each store's test supplies the store. */
abstract class BlobStoreContract {
  @TempDir Path temp;

  abstract BlobStore store();

  @Test
  void storesAnEmptyFile() throws IOException {
    String key = store().put(file("empty", new byte[0]));

    assertThat(store().exists(key)).isTrue();
    Path copy = temp.resolve("copy");
    store().copyTo(key, copy);
    assertThat(Files.size(copy)).isZero();
  }

  @Test
  void putThenOpenGivesTheSameBytes() throws IOException {
    byte[] content = random(1000, 1);
    String key = store().put(file("a", content));

    try (InputStream in = store().open(key)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    assertThat(store().exists(key)).isTrue();
  }

  @Test
  void roundTripsContentOfSeveralChunks() throws IOException {
    // More than two 4 MiB database chunks, not a multiple of the chunk size.
    byte[] content = random(9 * 1024 * 1024 + 123, 2);
    String key = store().put(file("big", content));

    try (InputStream in = store().open(key)) {
      assertThat(in.readAllBytes()).isEqualTo(content);
    }
    Path copy = temp.resolve("copy");
    store().copyTo(key, copy);
    assertThat(Files.readAllBytes(copy)).isEqualTo(content);
  }

  @Test
  void copyToReplacesAnExistingFile() throws IOException {
    byte[] content = random(100, 3);
    String key = store().put(file("c", content));
    Path target = Files.write(temp.resolve("target"), random(5000, 4));

    store().copyTo(key, target);

    assertThat(Files.readAllBytes(target)).isEqualTo(content);
  }

  @Test
  void eachPutGetsItsOwnKey() throws IOException {
    String first = store().put(file("one", random(10, 5)));
    String second = store().put(file("two", random(10, 5)));

    assertThat(first).isNotEqualTo(second);
  }

  @Test
  void deleteRemovesTheBlobAndMayBeRepeated() throws IOException {
    String key = store().put(file("d", random(10, 6)));

    store().delete(key);
    store().delete(key);

    assertThat(store().exists(key)).isFalse();
    assertThatThrownBy(() -> store().open(key)).isInstanceOf(BlobNotFoundException.class);
    assertThatThrownBy(() -> store().copyTo(key, temp.resolve("x")))
        .isInstanceOf(BlobNotFoundException.class);
  }

  @Test
  void anUnknownKeyDoesNotExist() throws IOException {
    assertThat(store().exists("0f8fad5b-d9cb-469f-a165-70867728950e")).isFalse();
  }

  Path file(String name, byte[] content) throws IOException {
    return Files.write(temp.resolve(name), content);
  }

  static byte[] random(int length, long seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }
}
