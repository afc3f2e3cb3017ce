package org.cnnsimplifier.engine.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import org.cnnsimplifier.engine.model.InputPreprocessing.ChannelOrder;
import org.cnnsimplifier.engine.model.InputShape;

/**
 * A file of 8-bit image tensors, all of one shape, memory-mapped for reading.
 *
 * <p>Layout: a {@value #HEADER_BYTES}-byte header — magic {@code CNNTSTR1}, version, image count,
 * channels, height, width, channel order, the CRC-32C of the payload, the key the store was made
 * for, and the CRC-32 of the header itself — then the images one after another, each {@code C·H·W}
 * bytes, channel-major. The payload starts on a page boundary; stores over 2 GiB are mapped in
 * several parts, each holding whole images.
 *
 * <p>A store is written to a temporary file in its directory, forced to disk and renamed onto its
 * name in one atomic step, so a reader finds either no store or a complete one, however many
 * builders run at once (the last rename wins; mappings of the earlier file stay valid). Opening
 * checks the header, the size and the payload checksum; anything else is not this store.
 */
final class TensorStoreFile implements SampleReader {
  static final int HEADER_BYTES = 4096;
  private static final byte[] MAGIC = "CNNTSTR1".getBytes(StandardCharsets.US_ASCII);
  private static final int VERSION = 1;
  private static final int MAX_KEY_BYTES = 3000;
  static final String TEMP_MARK = ".tmp-";

  /** What a store holds: checked on open, so a store made for other content is never read. */
  record Header(long count, InputShape shape, ChannelOrder order, String key) {
    long imageBytes() {
      return shape.size();
    }

    long payloadBytes() {
      return count * imageBytes();
    }
  }

  private final Header header;
  private final MappedByteBuffer[] parts;
  private final int imagesPerPart;
  private final int imageBytes;

  private TensorStoreFile(Header header, MappedByteBuffer[] parts, int imagesPerPart) {
    this.header = header;
    this.parts = parts;
    this.imagesPerPart = imagesPerPart;
    this.imageBytes = (int) header.imageBytes();
  }

  Header header() {
    return header;
  }

  /** Image {@code index} as values in [0, 1] ({@code p / 255f}), channel-major. */
  @Override
  public void read(int index, float[] dest, int offset) {
    if (index < 0 || index >= header.count()) {
      throw new IndexOutOfBoundsException("image " + index + " of " + header.count());
    }
    byte[] bytes = new byte[imageBytes];
    readBytes(index, bytes);
    Pixels8.toFloats(bytes, 0, dest, offset, imageBytes);
  }

  /** Image {@code index}'s bytes; safe from several threads (absolute reads only). */
  void readBytes(int index, byte[] dest) {
    MappedByteBuffer part = parts[index / imagesPerPart];
    part.get((index % imagesPerPart) * imageBytes, dest, 0, imageBytes);
  }

  /** Mappings are released by the garbage collector; the file may be deleted while mapped. */
  @Override
  public void close() {}

  /**
   * The store at {@code file} if it holds exactly what {@code expected} describes, intact.
   *
   * @return {@code null} when there is no such file
   * @throws Mismatch when there is a file but it is not that store (other content, truncated,
   *     damaged)
   */
  static TensorStoreFile open(Path file, Header expected) throws IOException {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size != HEADER_BYTES + expected.payloadBytes()) {
        throw new Mismatch(
            file, size + " bytes, " + (HEADER_BYTES + expected.payloadBytes()) + " expected");
      }
      ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES);
      while (head.hasRemaining() && channel.read(head, head.position()) >= 0) {
        // Reads until the header is complete.
      }
      head.flip();
      long payloadCrc = checkHeader(file, head, expected);
      int imagesPerPart = imagesPerPart(expected.imageBytes());
      List<MappedByteBuffer> parts = new ArrayList<>();
      CRC32C crc = new CRC32C();
      for (long first = 0; first < expected.count(); first += imagesPerPart) {
        long images = Math.min(imagesPerPart, expected.count() - first);
        MappedByteBuffer part =
            channel.map(
                FileChannel.MapMode.READ_ONLY,
                HEADER_BYTES + first * expected.imageBytes(),
                images * expected.imageBytes());
        crc.update(part.duplicate());
        parts.add(part);
      }
      if (crc.getValue() != payloadCrc) {
        throw new Mismatch(file, "payload checksum does not match");
      }
      return new TensorStoreFile(expected, parts.toArray(new MappedByteBuffer[0]), imagesPerPart);
    }
  }

  private static long checkHeader(Path file, ByteBuffer head, Header expected) {
    byte[] magic = new byte[MAGIC.length];
    head.get(0, magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new Mismatch(file, "not a tensor store");
    }
    CRC32 headerCrc = new CRC32();
    headerCrc.update(head.array(), 0, HEADER_BYTES - 4);
    if ((int) headerCrc.getValue() != head.getInt(HEADER_BYTES - 4)) {
      throw new Mismatch(file, "header checksum does not match");
    }
    int version = head.getInt(8);
    long count = head.getLong(16);
    InputShape shape = new InputShape(head.getInt(24), head.getInt(28), head.getInt(32));
    ChannelOrder order = ChannelOrder.values()[head.getInt(36)];
    long payloadCrc = head.getLong(40);
    int keyLength = head.getInt(48);
    String key = new String(head.array(), 52, keyLength, StandardCharsets.UTF_8);
    Header found = new Header(count, shape, order, key);
    if (version != VERSION || !found.equals(expected)) {
      throw new Mismatch(file, "made for " + found + ", not " + expected);
    }
    return payloadCrc;
  }

  private static int imagesPerPart(long imageBytes) {
    return (int) Math.max(1, Integer.MAX_VALUE / imageBytes);
  }

  /**
   * Writes a store of {@code header.count()} images, image {@code i} given by {@code
   * image.apply(i)} (exactly {@code C·H·W} bytes), decoding with {@code threads} threads; replaces
   * {@code file} atomically when complete. On failure nothing is left behind but an existing {@code
   * file}.
   */
  static void build(Path file, Header header, IntFunction<byte[]> image, int threads)
      throws IOException {
    byte[] key = header.key().getBytes(StandardCharsets.UTF_8);
    if (key.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("store key longer than " + MAX_KEY_BYTES + " bytes");
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve(file.getFileName() + TEMP_MARK + UUID.randomUUID());
    try {
      try (FileChannel channel =
          FileChannel.open(
              temp,
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.READ,
              StandardOpenOption.WRITE)) {
        writeImages(channel, header, image, threads);
        CRC32C crc = new CRC32C();
        int imagesPerPart = imagesPerPart(header.imageBytes());
        for (long first = 0; first < header.count(); first += imagesPerPart) {
          long images = Math.min(imagesPerPart, header.count() - first);
          crc.update(
              channel.map(
                  FileChannel.MapMode.READ_ONLY,
                  HEADER_BYTES + first * header.imageBytes(),
                  images * header.imageBytes()));
        }
        ByteBuffer head = ByteBuffer.allocate(HEADER_BYTES);
        head.put(MAGIC);
        head.putInt(8, VERSION);
        head.putInt(12, HEADER_BYTES);
        head.putLong(16, header.count());
        head.putInt(24, header.shape().channels());
        head.putInt(28, header.shape().height());
        head.putInt(32, header.shape().width());
        head.putInt(36, header.order().ordinal());
        head.putLong(40, crc.getValue());
        head.putInt(48, key.length);
        head.put(52, key);
        CRC32 headerCrc = new CRC32();
        headerCrc.update(head.array(), 0, HEADER_BYTES - 4);
        head.putInt(HEADER_BYTES - 4, (int) headerCrc.getValue());
        head.position(0);
        while (head.hasRemaining()) {
          channel.write(head, head.position());
        }
        channel.force(true);
      }
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system of " + dir + " cannot rename atomically", e);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  private static void writeImages(
      FileChannel channel, Header header, IntFunction<byte[]> image, int threads)
      throws IOException {
    int count = Math.toIntExact(header.count());
    int workers = Math.max(1, Math.min(threads, count));
    ExecutorService pool =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, "tensor-store-build");
              t.setDaemon(true);
              return t;
            });
    try {
      List<Future<?>> done = new ArrayList<>();
      java.util.concurrent.atomic.AtomicInteger next =
          new java.util.concurrent.atomic.AtomicInteger();
      for (int w = 0; w < workers; w++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    byte[] bytes = image.apply(i);
                    if (bytes.length != header.imageBytes()) {
                      throw new IllegalStateException(
                          "image "
                              + i
                              + " has "
                              + bytes.length
                              + " bytes, not "
                              + header.imageBytes());
                    }
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    long position = HEADER_BYTES + (long) i * header.imageBytes();
                    while (buffer.hasRemaining()) {
                      position += channel.write(buffer, position);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> future : done) {
        try {
          future.get();
        } catch (java.util.concurrent.ExecutionException e) {
          next.set(count);
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          if (cause instanceof IOException io) {
            throw io;
          }
          if (cause instanceof Error err) {
            throw err;
          }
          throw new UncheckedIOException(new IOException(cause));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted while building a tensor store", e);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** A file at a store's place that is not the store asked for. */
  static final class Mismatch extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Mismatch(Path file, String reason) {
      super("tensor store " + file.getFileName() + ": " + reason);
    }
  }
}
