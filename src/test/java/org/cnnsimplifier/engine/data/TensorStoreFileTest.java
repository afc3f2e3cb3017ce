package org.cnnsimplifier.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.cnnsimplifier.engine.data.TensorStoreFile.Header;
import org.cnnsimplifier.engine.model.InputPreprocessing.ChannelOrder;
import org.cnnsimplifier.engine.model.InputShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorStoreFileTest {
  private static final InputShape SHAPE = new InputShape(3, 5, 7);

  @TempDir Path tmp;

  private static byte[] image(int index) {
    byte[] bytes = new byte[(int) SHAPE.size()];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (index * 31 + i * 7);
    }
    return bytes;
  }

  private static Header header(int count) {
    return new Header(count, SHAPE, ChannelOrder.BGR, "source=abc;files=1");
  }

  @Test
  void roundTripGivesEveryImageBackAsBytesAndAsFloats() throws Exception {
    Path file = tmp.resolve("s.u8");
    TensorStoreFile.build(file, header(23), TensorStoreFileTest::image, 2);

    TensorStoreFile store = TensorStoreFile.open(file, header(23));
    assertThat(store).isNotNull();
    assertThat(Files.size(file)).isEqualTo(TensorStoreFile.HEADER_BYTES + 23 * SHAPE.size());
    byte[] bytes = new byte[(int) SHAPE.size()];
    float[] floats = new float[(int) SHAPE.size() + 3];
    for (int i = 0; i < 23; i++) {
      store.readBytes(i, bytes);
      assertThat(bytes).isEqualTo(image(i));
      store.read(i, floats, 3);
      for (int k = 0; k < bytes.length; k++) {
        assertThat(floats[3 + k]).isEqualTo((bytes[k] & 0xff) / 255f);
      }
    }
    assertThatThrownBy(() -> store.read(23, floats, 0))
        .isInstanceOf(IndexOutOfBoundsException.class);
    // Nothing but the store is left in the directory.
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.toList()).containsExactly(file);
    }
  }

  @Test
  void aMissingStoreIsNullAndOneMadeForOtherContentIsNotOpened() throws Exception {
    Path file = tmp.resolve("s.u8");
    assertThat(TensorStoreFile.open(file, header(4))).isNull();
    TensorStoreFile.build(file, header(4), TensorStoreFileTest::image, 1);

    assertThatThrownBy(
            () ->
                TensorStoreFile.open(
                    file, new Header(4, SHAPE, ChannelOrder.BGR, "source=other;files=1")))
        .isInstanceOf(TensorStoreFile.Mismatch.class)
        .hasMessageContaining("made for");
    assertThatThrownBy(
            () -> TensorStoreFile.open(file, new Header(4, SHAPE, ChannelOrder.RGB, "x")))
        .isInstanceOf(TensorStoreFile.Mismatch.class);
    assertThatThrownBy(() -> TensorStoreFile.open(file, header(5)))
        .isInstanceOf(TensorStoreFile.Mismatch.class)
        .hasMessageContaining("bytes");
  }

  @Test
  void damagedPayloadOrHeaderIsDetected() throws Exception {
    Path file = tmp.resolve("s.u8");
    TensorStoreFile.build(file, header(6), TensorStoreFileTest::image, 1);
    flipByte(file, TensorStoreFile.HEADER_BYTES + 3 * SHAPE.size() + 11);
    assertThatThrownBy(() -> TensorStoreFile.open(file, header(6)))
        .isInstanceOf(TensorStoreFile.Mismatch.class)
        .hasMessageContaining("payload checksum");

    TensorStoreFile.build(file, header(6), TensorStoreFileTest::image, 1);
    assertThat(TensorStoreFile.open(file, header(6))).isNotNull();
    flipByte(file, 20);
    assertThatThrownBy(() -> TensorStoreFile.open(file, header(6)))
        .isInstanceOf(TensorStoreFile.Mismatch.class)
        .hasMessageContaining("header checksum");
  }

  static void flipByte(Path file, long position) throws Exception {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer one = ByteBuffer.allocate(1);
      channel.read(one, position);
      one.put(0, (byte) (one.get(0) ^ 0x5a));
      one.position(0);
      channel.write(one, position);
    }
  }

  @Test
  void concurrentBuildersNeverShowAHalfWrittenStore() throws Exception {
    Path file = tmp.resolve("s.u8");
    int count = 200;
    CountDownLatch bothStarted = new CountDownLatch(2);
    AtomicBoolean building = new AtomicBoolean(true);
    AtomicInteger opened = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Future<?> reader =
          pool.submit(
              () -> {
                while (building.get()) {
                  // A reader sees no store, or the whole store: never a partial or damaged one.
                  TensorStoreFile store = TensorStoreFile.open(file, header(count));
                  if (store != null) {
                    byte[] bytes = new byte[(int) SHAPE.size()];
                    store.readBytes(count - 1, bytes);
                    assertThat(bytes).isEqualTo(image(count - 1));
                    opened.incrementAndGet();
                  }
                }
                return null;
              });
      List<Future<?>> builders =
          Stream.<Future<?>>generate(
                  () ->
                      pool.submit(
                          () -> {
                            bothStarted.countDown();
                            bothStarted.await();
                            TensorStoreFile.build(
                                file,
                                header(count),
                                i -> {
                                  if (i % 50 == 0) {
                                    Thread.yield();
                                  }
                                  return image(i);
                                },
                                1);
                            return null;
                          }))
              .limit(2)
              .toList();
      for (Future<?> builder : builders) {
        builder.get();
      }
      building.set(false);
      reader.get();
    } finally {
      pool.shutdownNow();
    }
    TensorStoreFile store = TensorStoreFile.open(file, header(count));
    assertThat(store).isNotNull();
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.toList()).as("no temporary file is left").containsExactly(file);
    }
  }

  @Test
  void aFailingImageLeavesNothingBehindAndKeepsTheOldStore() throws Exception {
    Path file = tmp.resolve("s.u8");
    TensorStoreFile.build(file, header(10), TensorStoreFileTest::image, 2);
    assertThatThrownBy(
            () ->
                TensorStoreFile.build(
                    file,
                    header(10),
                    i -> {
                      if (i == 7) {
                        throw new IllegalStateException("image 7 is damaged");
                      }
                      return image(i);
                    },
                    2))
        .hasMessageContaining("image 7 is damaged");
    assertThat(TensorStoreFile.open(file, header(10))).isNotNull();
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.toList()).containsExactly(file);
    }
  }
}
