package org.cnnsimplifier.workers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.cnnsimplifier.engine.InvalidDatasetException;
import org.cnnsimplifier.engine.InvalidModelException;
import org.cnnsimplifier.engine.InvalidPlanException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.TransientDataAccessResourceException;

/** Which failures end a job at once and which another attempt may get past. */
class FailuresTest {

  @Test
  void wrongInputsAndDeterministicComputationErrorsArePermanent() {
    assertThat(Failures.isPermanent(new InvalidModelException("model x was deleted"))).isTrue();
    assertThat(Failures.isPermanent(new InvalidPlanException("TAYLOR needs gradients"))).isTrue();
    assertThat(
            Failures.isPermanent(
                new InvalidDatasetException("not readable", new IOException("truncated"))))
        .isTrue();
    assertThat(Failures.isPermanent(new IllegalStateException("shape mismatch [3,4] vs [4,3]")))
        .isTrue();
    assertThat(Failures.isPermanent(new IllegalArgumentException("invalid input"))).isTrue();
  }

  @Test
  void infrastructureFailuresAreRetried() {
    assertThat(Failures.isPermanent(new UncheckedIOException(new IOException("disk full"))))
        .isFalse();
    assertThat(Failures.isPermanent(new TransientDataAccessResourceException("db away"))).isFalse();
    assertThat(Failures.isPermanent(new OutOfMemoryError("Java heap space"))).isFalse();
    assertThat(
            Failures.isPermanent(
                new IllegalStateException("cannot read blob", new IOException("reset"))))
        .as("a refusal caused by I/O")
        .isFalse();
    assertThat(Failures.isPermanent(new RuntimeException("unknown"))).isFalse();
  }

  @Test
  void describesEngineErrorsInTheirOwnWordsAndOthersWithTheirType() {
    assertThat(Failures.describe(new InvalidModelException("model x was deleted")))
        .isEqualTo("model x was deleted");
    assertThat(Failures.describe(new IllegalStateException("boom")))
        .isEqualTo("IllegalStateException: boom");
  }
}
