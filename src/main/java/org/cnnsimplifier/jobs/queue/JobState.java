package org.cnnsimplifier.jobs.queue;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Where a job is in its life. The one table of allowed moves is {@link #canMoveTo}; the queue's SQL
 * takes its "from" states from it ({@link #sourcesOf}), so the table and the statements cannot
 * drift apart.
 *
 * <pre>
 * QUEUED ──claim──▶ RUNNING ──▶ SUCCEEDED | FAILED | CANCELLED
 *   ▲                │  │  │
 *   │   rescue,      │  │  └──fail (attempts left)──▶ RETRY_WAIT ──claim──▶ RUNNING
 *   ├── hand-back ◀──┘  └──pause──▶ AWAITING_SELECTION ──selection──▶ QUEUED
 * </pre>
 */
public enum JobState {
  /** Waiting for a worker. */
  QUEUED,
  /** Held by a worker under a lease. */
  RUNNING,
  /** Paused for a person to choose kernels; holds no worker. */
  AWAITING_SELECTION,
  /** Failed an attempt; claimable again from its {@code run_at} on. */
  RETRY_WAIT,
  /** Finished with a result. */
  SUCCEEDED,
  /** Out of attempts. */
  FAILED,
  /** Stopped on its owner's request. */
  CANCELLED;

  /** Whether the table allows this state to become {@code next}. */
  public boolean canMoveTo(JobState next) {
    return switch (this) {
      case QUEUED -> next == RUNNING || next == CANCELLED;
      case RUNNING ->
          next == SUCCEEDED
              || next == FAILED
              || next == CANCELLED
              || next == QUEUED // rescued after a lost lease, or handed back on shutdown
              || next == RETRY_WAIT
              || next == AWAITING_SELECTION;
      case RETRY_WAIT -> next == RUNNING || next == CANCELLED || next == FAILED;
      case AWAITING_SELECTION -> next == QUEUED || next == CANCELLED;
      case SUCCEEDED, FAILED, CANCELLED -> false;
    };
  }

  /** Whether nothing can follow this state. */
  public boolean isTerminal() {
    return Arrays.stream(values()).noneMatch(this::canMoveTo);
  }

  /** The states from which the table allows a move to {@code target}. */
  public static Set<JobState> sourcesOf(JobState target) {
    EnumSet<JobState> sources = EnumSet.noneOf(JobState.class);
    for (JobState state : values()) {
      if (state.canMoveTo(target)) {
        sources.add(state);
      }
    }
    return sources;
  }
}
