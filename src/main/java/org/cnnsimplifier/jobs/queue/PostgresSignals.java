package org.cnnsimplifier.jobs.queue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signals on PostgreSQL: one connection of its own per node LISTENs on {@code cnn_job_events},
 * which a trigger notifies at every event's commit. After a lost connection it reconnects and
 * signals {@link Signal#ANY}, since notifications sent meanwhile are gone.
 */
final class PostgresSignals implements JobSignals {
  private static final Logger log = LoggerFactory.getLogger(PostgresSignals.class);
  static final String CHANNEL = "cnn_job_events";

  /** Opens a connection outside any pool: it is held for as long as the node runs. */
  interface ConnectionFactory {
    Connection open() throws SQLException;
  }

  private final SignalFanOut listeners = new SignalFanOut();
  private final ConnectionFactory connections;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Connection current;

  PostgresSignals(ConnectionFactory connections) {
    this.connections = connections;
    this.thread = new Thread(this::listen, "job-signals");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void subscribe(Consumer<Signal> listener) {
    listeners.add(listener);
  }

  private void listen() {
    boolean first = true;
    while (!closed) {
      try (Connection connection = connections.open()) {
        current = connection;
        try (Statement statement = connection.createStatement()) {
          statement.execute("LISTEN " + CHANNEL);
        }
        if (!first) {
          listeners.deliver(Signal.ANY);
        }
        first = false;
        PGConnection pg = connection.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] notifications = pg.getNotifications(1000);
          if (notifications == null) {
            continue;
          }
          for (PGNotification notification : notifications) {
            listeners.deliver(parse(notification.getParameter()));
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!closed) {
          log.warn("listening for job events failed, reconnecting: {}", e.getMessage());
          first = false;
          sleep();
        }
      }
    }
  }

  static Signal parse(String payload) {
    int space = payload.indexOf(' ');
    try {
      return space < 0
          ? new Signal(UUID.fromString(payload), null)
          : new Signal(UUID.fromString(payload.substring(0, space)), payload.substring(space + 1));
    } catch (IllegalArgumentException e) {
      return Signal.ANY;
    }
  }

  private void sleep() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  @Override
  public void close() {
    closed = true;
    Connection connection = current;
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // Closing anyway.
      }
    }
    thread.interrupt();
  }
}
