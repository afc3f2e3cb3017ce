package org.cnnsimplifier.engine.data;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.cnnsimplifier.engine.data.TensorStoreFile.Header;
import org.cnnsimplifier.engine.model.InputPreprocessing.ChannelOrder;
import org.cnnsimplifier.engine.model.InputShape;

/**
 * Decodes a class-folder data set once into a tensor store and reads its batches from there.
 *
 * <p>One store per source × shape × channel order (and adapt, decoder, file list): every data set
 * opened from the same source with the same options — every job and epoch on the node — maps the
 * same file. The first to need it builds it, with all cores; in this process others wait for it,
 * other processes build their own copy and the last atomic rename wins. A file that does not match
 * (other content, truncated, damaged) is rebuilt.
 *
 * <p>Decoded per batch instead, as if there were no store directory: data sets whose store would
 * exceed {@link DecodeOptions#storeMaxBytes()} or the disk's free space, images of more than 8 bits
 * per sample, a store that cannot be written. A damaged image fails as it would per batch.
 */
final class TensorStores {
  private static final System.Logger log = System.getLogger(TensorStores.class.getName());
  static final String SUFFIX = ".u8";
  private static final long DISK_MARGIN = 256L << 20;
  private static final Duration STALE_TEMP_AGE = Duration.ofHours(1);
  private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();

  private TensorStores() {}

  /** {@code dataset} reading from its store, or {@code dataset} itself decoding per batch. */
  static StreamedImageDataset attach(StreamedImageDataset dataset, DatasetOptions options) {
    DecodeOptions decode = options.decode();
    FolderImages images = dataset.folderImages();
    if (!decode.storing() || images == null) {
      return dataset;
    }
    InputShape shape = dataset.imageShape();
    ChannelOrder order =
        shape.channels() == 3 ? options.preprocessing().channelOrder() : ChannelOrder.RGB;
    long bytes = images.count() * shape.size();
    if (bytes > decode.storeMaxBytes()) {
      log.log(
          Level.INFO,
          "data set of {0} images at {1} needs {2} bytes, more than the tensor store limit {3}:"
              + " decoded per batch",
          images.count(),
          shape,
          bytes,
          decode.storeMaxBytes());
      return dataset;
    }
    Header header = new Header(images.count(), shape, order, key(decode, images));
    Path file = decode.storeDir().resolve(fileName(header));
    try {
      return dataset.readingFrom(openOrBuild(file, header, images));
    } catch (FolderImages.NotEightBit e) {
      log.log(Level.INFO, e.getMessage() + ": data set decoded per batch");
    } catch (IOException e) {
      log.log(Level.WARNING, "no tensor store at " + file + " (" + e + "): decoded per batch");
    }
    return dataset;
  }

  /** The store at {@code file}, built from {@code images} when missing or not matching. */
  static TensorStoreFile openOrBuild(Path file, Header header, FolderImages images)
      throws IOException {
    Object lock = LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), k -> new Object());
    synchronized (lock) {
      TensorStoreFile store = openIfIntact(file, header);
      if (store != null) {
        return store;
      }
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      removeStaleTemps(dir);
      long usable = Files.getFileStore(dir).getUsableSpace();
      if (usable < header.payloadBytes() + DISK_MARGIN) {
        throw new IOException(
            "store needs " + header.payloadBytes() + " bytes, " + usable + " free on the disk");
      }
      long started = System.nanoTime();
      TensorStoreFile.build(
          file,
          header,
          i -> images.tensor8(i, header.order()),
          Runtime.getRuntime().availableProcessors());
      log.log(
          Level.INFO,
          "tensor store {0}: {1} images decoded in {2} ms",
          file,
          header.count(),
          (System.nanoTime() - started) / 1_000_000);
      store = TensorStoreFile.open(file, header);
      if (store == null) {
        throw new IOException("tensor store " + file + " disappeared after it was built");
      }
      return store;
    }
  }

  private static TensorStoreFile openIfIntact(Path file, Header header) throws IOException {
    try {
      return TensorStoreFile.open(file, header);
    } catch (TensorStoreFile.Mismatch e) {
      log.log(Level.WARNING, e.getMessage() + "; rebuilding it");
      return null;
    }
  }

  /** Temporary files of builders that died (killed processes). */
  private static void removeStaleTemps(Path dir) {
    Instant before = Instant.now().minus(STALE_TEMP_AGE);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        if (f.getFileName().toString().contains(TensorStoreFile.TEMP_MARK)
            && Files.getLastModifiedTime(f).toInstant().isBefore(before)) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      log.log(Level.WARNING, "could not clean " + dir + ": " + e);
    }
  }

  /** What, besides count, shape and channel order, the store's content depends on. */
  static String key(DecodeOptions decode, FolderImages images) {
    return "source="
        + decode.sourceKey()
        + ";adapt="
        + images.adapts()
        + ";decoder="
        + images.decoder()
        + ";files="
        + sha256(String.join("\n", images.files())).substring(0, 32);
  }

  /** E.g. {@code 3x224x224-bgr-0123456789abcdef.u8}: readable, and unique per header. */
  static String fileName(Header header) {
    InputShape s = header.shape();
    String digest =
        sha256(header.count() + ";" + s + ";" + header.order() + ";" + header.key())
            .substring(0, 16);
    return s.channels()
        + "x"
        + s.height()
        + "x"
        + s.width()
        + "-"
        + header.order().name().toLowerCase(java.util.Locale.ROOT)
        + "-"
        + digest
        + SUFFIX;
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
