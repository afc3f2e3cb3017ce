package org.cnnsimplifier.catalog.upload;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cnnsimplifier.system.ApiException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model zips whose arrays compress without bound are models, not zip bombs. */
class ModelZipCheckTest {
  private static final long MIB = 1 << 20;
  private static final ModelZipCheck.Limits LIMITS =
      new ModelZipCheck.Limits(1000, 256 * MIB, 16 * MIB, 100);

  @TempDir Path dir;

  private ReceivedFile zip(String entry, long zeros) throws IOException {
    Path file = dir.resolve(entry + ".zip");
    try (OutputStream out = Files.newOutputStream(file);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("configuration.json"));
      zip.write("{}".getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
      zip.putNextEntry(new ZipEntry(entry));
      byte[] block = new byte[(int) MIB];
      for (long written = 0; written < zeros; written += block.length) {
        zip.write(block);
      }
      zip.closeEntry();
    }
    return new ReceivedFile(file, Files.size(file), "0".repeat(64), FileType.ZIP, entry + ".zip");
  }

  @Test
  void acceptsAFreshUpdaterStateOfZerosFarPastTheRatio() throws IOException {
    // 96 MiB of zeros compress about 1000 times: a ResNet50's fresh Adam state looks like this.
    assertThatCode(() -> ModelZipCheck.check(zip("updaterState.bin", 96 * MIB), LIMITS))
        .doesNotThrowAnyException();
  }

  @Test
  void stillRefusesArraysPastTheTotalLimitAndOtherEntriesPastTheRatio() throws IOException {
    assertThatThrownBy(() -> ModelZipCheck.check(zip("coefficients.bin", 300 * MIB), LIMITS))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("too large");
    assertThatThrownBy(() -> ModelZipCheck.check(zip("noise.bin", 96 * MIB), LIMITS))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("zip bomb");
  }
}
