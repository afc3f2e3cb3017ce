package org.cnnsimplifier.jobs.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.cnnsimplifier.jobs.queue.JobState.AWAITING_SELECTION;
import static org.cnnsimplifier.jobs.queue.JobState.CANCELLED;
import static org.cnnsimplifier.jobs.queue.JobState.FAILED;
import static org.cnnsimplifier.jobs.queue.JobState.QUEUED;
import static org.cnnsimplifier.jobs.queue.JobState.RETRY_WAIT;
import static org.cnnsimplifier.jobs.queue.JobState.RUNNING;
import static org.cnnsimplifier.jobs.queue.JobState.SUCCEEDED;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every pair of states, allowed or forbidden, against the table written out here by hand. */
class JobStateTest {
  private static final Map<JobState, Set<JobState>> ALLOWED =
      Map.of(
          QUEUED, EnumSet.of(RUNNING, CANCELLED),
          RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, QUEUED, RETRY_WAIT, AWAITING_SELECTION),
          RETRY_WAIT, EnumSet.of(RUNNING, CANCELLED, FAILED),
          AWAITING_SELECTION, EnumSet.of(QUEUED, CANCELLED),
          SUCCEEDED, EnumSet.noneOf(JobState.class),
          FAILED, EnumSet.noneOf(JobState.class),
          CANCELLED, EnumSet.noneOf(JobState.class));

  static Stream<Arguments> everyPair() {
    return Arrays.stream(JobState.values())
        .flatMap(
            from ->
                Arrays.stream(JobState.values())
                    .map(to -> Arguments.of(from, to, ALLOWED.get(from).contains(to))));
  }

  @ParameterizedTest(name = "{0} -> {1} allowed: {2}")
  @MethodSource("everyPair")
  void movesOnlyAlongTheTable(JobState from, JobState to, boolean allowed) {
    assertThat(from.canMoveTo(to)).isEqualTo(allowed);
  }

  @Test
  void theTableCoversEveryState() {
    assertThat(ALLOWED).containsOnlyKeys(JobState.values());
    assertThat(everyPair()).hasSize(49);
  }

  @Test
  void onlySucceededFailedAndCancelledAreTerminal() {
    assertThat(Arrays.stream(JobState.values()).filter(JobState::isTerminal))
        .containsExactlyInAnyOrder(SUCCEEDED, FAILED, CANCELLED);
  }

  @Test
  void claimsTakeQueuedAndRetryWaitingJobs() {
    assertThat(JobState.sourcesOf(RUNNING)).containsExactlyInAnyOrder(QUEUED, RETRY_WAIT);
    assertThat(QueueDialect.CLAIMABLE).isEqualTo("('QUEUED','RETRY_WAIT')");
  }

  @Test
  void everyUnfinishedStateCanBeCancelled() {
    assertThat(JobState.sourcesOf(CANCELLED))
        .containsExactlyInAnyOrder(QUEUED, RUNNING, RETRY_WAIT, AWAITING_SELECTION);
  }
}
