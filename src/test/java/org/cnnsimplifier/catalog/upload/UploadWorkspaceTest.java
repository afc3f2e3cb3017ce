package org.cnnsimplifier.catalog.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import org.cnnsimplifier.system.ApiException;
import org.cnnsimplifier.system.ScratchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.http.HttpStatus;

class UploadWorkspaceTest {
  @TempDir Path root;

  @Test
  void receivesTheBodyWithItsSizeHashAndType() throws Exception {
    byte[] body = random(200_000);
    body[0] = 'P';
    body[1] = 'K';
    body[2] = 3;
    body[3] = 4;
    UploadReceiver receiver = new UploadReceiver(root, 1 << 20, Clock.systemUTC());

    try (UploadWorkspace workspace = receiver.open()) {
      ReceivedFile file = workspace.receive(new ByteArrayInputStream(body), "../../my model.zip");

      assertThat(file.sizeBytes()).isEqualTo(body.length);
      assertThat(file.sha256())
          .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body)));
      assertThat(file.type()).isEqualTo(FileType.ZIP);
      assertThat(file.fileName()).isEqualTo("my_model.zip");
      assertThat(file.path()).startsWith(workspace.dir());
      assertThat(Files.readAllBytes(file.path())).isEqualTo(body);
    }
    assertThat(Files.list(root)).isEmpty();
  }

  @Test
  void stopsReadingOnceTheLimitIsPassedAndLeavesNothing() throws IOException {
    UploadReceiver receiver = new UploadReceiver(root, 100_000, Clock.systemUTC());
    CountingStream endless = new CountingStream();

    try (UploadWorkspace workspace = receiver.open()) {
      assertThatThrownBy(() -> workspace.receive(endless, "big.bin"))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> assertThat(e.status()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE));
    }
    assertThat(endless.read).isLessThan(200_000);
    assertThat(Files.list(root)).isEmpty();
  }

  @Test
  void refusesAWrongTypeFromTheFirstBytesWithoutReadingTheRest() throws IOException {
    UploadReceiver receiver = new UploadReceiver(root, 1L << 40, Clock.systemUTC());
    CountingStream endless = new CountingStream();

    try (UploadWorkspace workspace = receiver.open()) {
      assertThatThrownBy(
              () ->
                  workspace.receive(
                      endless,
                      "zeros.bin",
                      type -> {
                        throw new IllegalArgumentException("not wanted: " + type);
                      }))
          .hasMessage("not wanted: OTHER");
    }
    assertThat(endless.read).isLessThanOrEqualTo(64 * 1024);
    assertThat(Files.list(root)).isEmpty();
  }

  @Test
  void countsEveryFileOfARequestAgainstTheLimit() throws IOException {
    UploadReceiver receiver = new UploadReceiver(root, 100_000, Clock.systemUTC());

    try (UploadWorkspace workspace = receiver.open()) {
      workspace.receive(new ByteArrayInputStream(random(60_000)), "a");
      assertThatThrownBy(() -> workspace.receive(new ByteArrayInputStream(random(60_000)), "b"))
          .isInstanceOf(ApiException.class)
          .hasMessageContaining("limit of 100000 bytes");
    }
  }

  @Test
  void refusesADeclaredLengthOverTheLimitBeforeReading() throws IOException {
    UploadReceiver receiver = new UploadReceiver(root, 100, Clock.systemUTC());

    try (UploadWorkspace workspace = receiver.open()) {
      assertThatThrownBy(() -> workspace.checkDeclaredLength(101)).isInstanceOf(ApiException.class);
      workspace.checkDeclaredLength(100);
      workspace.checkDeclaredLength(-1);
    }
  }

  @Test
  void deletesAtStartUpWhatNoLiveProcessHoldsAndKeepsWhatOneDoes() throws Exception {
    // A workspace of a process that was killed: its marker is there, its lock gone with it.
    Path killed = Files.createDirectory(root.resolve("upload-123"));
    Files.writeString(killed.resolve("part"), "x");
    Files.createFile(killed.resolve(ScratchSpace.MARKER));
    // Old, without a marker (an earlier version's); and fresh, without one yet.
    Path old = Files.createDirectory(root.resolve("load-9"));
    Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(2 * 3600)));
    Path fresh = Files.createDirectory(root.resolve("cnnsimplifier-data-1"));
    UploadReceiver first = new UploadReceiver(root, 100, Clock.systemUTC());
    Path inUse = first.newTempDirectory();

    UploadReceiver second = new UploadReceiver(root, 100, Clock.systemUTC());

    assertThat(killed).doesNotExist();
    assertThat(old).doesNotExist();
    assertThat(fresh).exists();
    assertThat(inUse).exists();
    first.deleteTempDirectory(inUse);
    assertThat(second.sweep()).isZero();
  }

  @Test
  void sniffsTypesByMagicBytes() {
    assertThat(sniff(0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n')).isEqualTo(FileType.HDF5);
    assertThat(sniff('P', 'K', 5, 6)).isEqualTo(FileType.ZIP);
    assertThat(sniff(0, 0, 8, 3, 0, 0, 0, 1)).isEqualTo(FileType.IDX_IMAGES);
    assertThat(sniff(0, 0, 8, 1, 0, 0, 0, 1)).isEqualTo(FileType.IDX_LABELS);
    assertThat(sniff(0x1f, 0x8b, 8, 0)).isEqualTo(FileType.GZIP);
    assertThat(sniff('{', '}')).isEqualTo(FileType.OTHER);
    assertThat(sniff()).isEqualTo(FileType.OTHER);
  }

  private static FileType sniff(int... bytes) {
    byte[] head = new byte[FileType.HEAD_BYTES];
    for (int i = 0; i < bytes.length; i++) {
      head[i] = (byte) bytes[i];
    }
    return FileType.sniff(head, bytes.length);
  }

  private static byte[] random(int length) {
    byte[] bytes = new byte[length];
    new Random(1).nextBytes(bytes);
    return bytes;
  }

  /** An endless body that counts what was read from it. */
  private static final class CountingStream extends InputStream {
    long read;

    @Override
    public int read() {
      read++;
      return 0;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      read += length;
      return length;
    }
  }
}
