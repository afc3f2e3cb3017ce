package org.cnnsimplifier.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FileSystemBlobStoreTest extends BlobStoreContract {
  private FileSystemBlobStore store;
  private Path root;

  @BeforeEach
  void createStore() throws IOException {
    root = temp.resolve("blobs");
    store = new FileSystemBlobStore(root);
  }

  @Override
  BlobStore store() {
    return store;
  }

  @Test
  void putMovesTheFileIntoTheStoreLeavingNoPartialFile() throws IOException {
    Path file = file("model.zip", random(100, 7));

    String key = store.put(file);

    assertThat(file).doesNotExist();
    try (var children = Files.list(root)) {
      assertThat(children.map(p -> p.getFileName().toString())).containsExactly(key);
    }
  }

  @Test
  void refusesKeysThatCouldLeaveTheStore() {
    assertThatThrownBy(() -> store.open("../etc/passwd"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
