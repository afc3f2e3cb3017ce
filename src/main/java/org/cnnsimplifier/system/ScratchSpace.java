package org.cnnsimplifier.system;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.cnnsimplifier.engine.TempFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporary directories that a crash cannot leave behind for good. A directory in use holds a lock
 * on its {@value #MARKER} file, which the operating system releases when the process ends however
 * it ends (a {@code kill -9} included); a sweep deletes every directory whose lock it can take, at
 * start-up and periodically, on any process that shares the parent folder. Directories without a
 * marker (made by older versions, or by the engine inside a claimed one) are deleted once older
 * than {@link #UNCLAIMED_AGE}.
 */
public final class ScratchSpace {
  private static final Logger log = LoggerFactory.getLogger(ScratchSpace.class);

  /** The lock file of a directory in use. */
  public static final String MARKER = ".in-use";

  /** How old a directory without a marker must be before a sweep deletes it. */
  static final Duration UNCLAIMED_AGE = Duration.ofHours(1);

  private ScratchSpace() {}

  /** A directory held in use by this process until closed. */
  public static final class Claim implements AutoCloseable {
    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private Claim(Path dir, FileChannel channel, FileLock lock) {
      this.dir = dir;
      this.channel = channel;
      this.lock = lock;
    }

    public Path dir() {
      return dir;
    }

    /** Releases the lock (the directory itself stays: delete it first). */
    @Override
    public void close() {
      try {
        lock.release();
      } catch (IOException | RuntimeException ignored) {
        // The channel's close releases it too.
      }
      try {
        channel.close();
      } catch (IOException ignored) {
        // Nothing more to release.
      }
    }
  }

  /** Creates {@code dir} if need be and holds it in use. */
  public static Claim claim(Path dir) throws IOException {
    Files.createDirectories(dir);
    FileChannel channel =
        FileChannel.open(dir.resolve(MARKER), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        throw new IOException(dir + " is in use by another process");
      }
      return new Claim(dir, channel, lock);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /**
   * Deletes the directories under {@code root} that nobody holds.
   *
   * @return how many were deleted
   */
  public static int sweep(Path root) {
    return sweep(root, java.util.Set.of());
  }

  /**
   * Deletes the directories under {@code root} that nobody holds, except {@code keep} (directories
   * that live as long as the node, such as its tensor stores).
   *
   * @return how many were deleted
   */
  public static int sweep(Path root, java.util.Set<Path> keep) {
    java.util.Set<Path> kept =
        keep.stream()
            .map(p -> p.toAbsolutePath().normalize())
            .collect(java.util.stream.Collectors.toSet());
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int deleted = 0;
    Instant unclaimedBefore = Instant.now().minus(UNCLAIMED_AGE);
    try (Stream<Path> children = Files.list(root)) {
      for (Path child : children.toList()) {
        if (Files.isDirectory(child)
            && !kept.contains(child.toAbsolutePath().normalize())
            && abandoned(child, unclaimedBefore)) {
          try {
            TempFiles.deleteRecursively(child);
            deleted++;
            log.info("deleted {}, left behind by a process that ended", child);
          } catch (IOException | RuntimeException e) {
            log.warn("could not delete {}: {}", child, e.toString());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      log.warn("could not look for abandoned directories under {}: {}", root, e.toString());
    }
    return deleted;
  }

  private static boolean abandoned(Path dir, Instant unclaimedBefore) throws IOException {
    Path marker = dir.resolve(MARKER);
    if (!Files.exists(marker)) {
      return Files.getLastModifiedTime(dir).toInstant().isBefore(unclaimedBefore);
    }
    try (FileChannel channel = FileChannel.open(marker, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        return false; // another process holds it
      }
      lock.release();
      return true;
    } catch (OverlappingFileLockException heldHere) {
      return false; // this process holds it
    } catch (java.nio.file.NoSuchFileException gone) {
      return false; // its owner just deleted it
    }
  }
}
