package org.cnnsimplifier.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import java.util.regex.Pattern;

/** Blobs as files in one directory (local disk, or a volume shared by every pod). */
public final class FileSystemBlobStore implements BlobStore {
  private static final Pattern KEY = Pattern.compile("[0-9a-f-]{36}");

  private final Path root;

  public FileSystemBlobStore(Path root) throws IOException {
    this.root = Files.createDirectories(root.toAbsolutePath());
  }

  @Override
  public String put(Path file) throws IOException {
    String key = UUID.randomUUID().toString();
    Path target = path(key);
    Path partial = root.resolve(key + ".partial");
    try {
      try {
        Files.move(file, partial, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.FileSystemException e) {
        // Another file system (or no atomic move there): copy instead; the caller deletes.
        Files.copy(file, partial, StandardCopyOption.REPLACE_EXISTING);
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      return key;
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  @Override
  public InputStream open(String key) throws IOException {
    try {
      return Files.newInputStream(path(key));
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(key);
    }
  }

  @Override
  public void copyTo(String key, Path target) throws IOException {
    try {
      Files.copy(path(key), target, StandardCopyOption.REPLACE_EXISTING);
    } catch (NoSuchFileException e) {
      throw new BlobNotFoundException(key);
    }
  }

  @Override
  public void delete(String key) throws IOException {
    Files.deleteIfExists(path(key));
  }

  @Override
  public boolean exists(String key) {
    return Files.exists(path(key));
  }

  private Path path(String key) {
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("not a blob key: " + key);
    }
    return root.resolve(key);
  }
}
