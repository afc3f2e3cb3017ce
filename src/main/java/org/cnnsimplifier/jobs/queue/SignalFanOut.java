package org.cnnsimplifier.jobs.queue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners of a {@link JobSignals} source; one failing listener does not stop the others. */
final class SignalFanOut {
  private static final Logger log = LoggerFactory.getLogger(SignalFanOut.class);

  private final List<Consumer<JobSignals.Signal>> listeners = new CopyOnWriteArrayList<>();

  void add(Consumer<JobSignals.Signal> listener) {
    listeners.add(listener);
  }

  void deliver(JobSignals.Signal signal) {
    for (Consumer<JobSignals.Signal> listener : listeners) {
      try {
        listener.accept(signal);
      } catch (RuntimeException e) {
        log.warn("a job signal listener failed: {}", e.toString());
      }
    }
  }
}
