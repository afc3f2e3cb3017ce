package org.cnnsimplifier.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A directory held by a process survives sweeps while it lives and goes after a kill -9. */
class ScratchSpaceTest {
  @TempDir Path root;

  /** A separate process that claims a directory and waits to be killed. */
  public static void main(String[] args) throws Exception {
    try (ScratchSpace.Claim claim = ScratchSpace.claim(Path.of(args[0]))) {
      Files.writeString(claim.dir().resolve("work.bin"), "half-written");
      Thread.sleep(Duration.ofMinutes(5).toMillis());
    }
  }

  @Test
  void aDirectoryOfAKilledProcessIsSweptAndOneInUseIsNot() throws Exception {
    Path theirs = root.resolve("job-1");
    Process holder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                ScratchSpaceTest.class.getName(),
                theirs.toString())
            .inheritIO()
            .start();
    try {
      Instant deadline = Instant.now().plusSeconds(30);
      while (!Files.exists(theirs.resolve("work.bin")) && Instant.now().isBefore(deadline)) {
        Thread.sleep(50);
      }
      try (ScratchSpace.Claim ours = ScratchSpace.claim(root.resolve("job-2"))) {
        assertThat(ScratchSpace.sweep(root)).as("both in use").isZero();
        assertThat(theirs.resolve("work.bin")).exists();

        holder.destroyForcibly(); // SIGKILL: no shutdown hook, no finally
        assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(ScratchSpace.sweep(root)).isEqualTo(1);
        assertThat(theirs).doesNotExist();
        assertThat(ours.dir()).exists();
      }
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void aDirectoryToKeepIsNotSweptHoweverOld() throws Exception {
    Path stores = Files.createDirectories(root.resolve("tensor-stores"));
    Path abandoned = Files.createDirectories(root.resolve("job-old"));
    java.nio.file.attribute.FileTime old =
        java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofHours(2)));
    Files.setLastModifiedTime(stores, old);
    Files.setLastModifiedTime(abandoned, old);

    assertThat(ScratchSpace.sweep(root, java.util.Set.of(stores))).isEqualTo(1);
    assertThat(stores).exists();
    assertThat(abandoned).doesNotExist();
    assertThat(ScratchSpace.sweep(root)).as("without keep it is old and unclaimed").isEqualTo(1);
  }
}
