package org.cnnsimplifier.jobs.queue;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * Wake-ups for whoever waits on the queue: an event was stored for a job (idle workers look for
 * work, event streams of that job send it). A signal only says "look again": the rows themselves
 * are always read from the database, so a signal lost or repeated changes nothing but latency.
 * PostgreSQL delivers them by LISTEN/NOTIFY at each commit; the embedded H2 by polling.
 */
public interface JobSignals extends AutoCloseable {

  /** What happened: the job and the event type; {@code jobId} null means "anything may have". */
  record Signal(UUID jobId, String type) {
    /** Everything should be looked at again (after a reconnect, signals may have been missed). */
    public static final Signal ANY = new Signal(null, null);

    /** Whether a claim may now find work it did not find before. */
    public boolean mayFreeWork() {
      return type == null
          || switch (type) {
            case JobEvent.QUEUED,
                JobEvent.RESCUED,
                JobEvent.HANDED_BACK,
                JobEvent.RESUMED,
                JobEvent.RETRYING,
                JobEvent.SUCCEEDED,
                JobEvent.FAILED,
                JobEvent.CANCELLED,
                JobEvent.AWAITING_SELECTION ->
                true;
            default -> false;
          };
    }
  }

  /** Calls {@code listener} for every signal from now on, on a thread of the signals' own. */
  void subscribe(Consumer<Signal> listener);

  /** Stops delivering. */
  @Override
  void close();
}
