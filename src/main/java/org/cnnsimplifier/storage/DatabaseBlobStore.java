package org.cnnsimplifier.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Enumeration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Blobs in the database, in chunks of {@value #CHUNK} bytes (table {@code blob_chunk}), for
 * clusters without a shared volume. A blob is written chunk by chunk, each chunk in its own short
 * statement, so an upload of gigabytes never holds a pooled connection (or a transaction) for its
 * whole length; its row in {@code blob} says whether it is complete, and only complete blobs can be
 * read. A write that fails deletes what it wrote; one cut short by a crash is deleted by {@link
 * #deleteAbandoned}. Chunks are read one at a time, so a blob never has to fit in memory.
 */
public final class DatabaseBlobStore implements BlobStore {
  static final int CHUNK = 4 * 1024 * 1024;

  private final JdbcClient jdbc;
  private final TransactionTemplate transactions;

  public DatabaseBlobStore(JdbcClient jdbc, TransactionTemplate transactions) {
    this.jdbc = jdbc;
    this.transactions = transactions;
  }

  @Override
  public String put(Path file) throws IOException {
    String key = UUID.randomUUID().toString();
    jdbc.sql(
            "INSERT INTO blob (blob_key, complete, created_at, updated_at)"
                + " VALUES (?, FALSE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)")
        .param(key)
        .update();
    boolean done = false;
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[CHUNK];
      int seq = 0;
      long size = 0;
      int read;
      // An empty file is one empty chunk, so that it exists like any other blob.
      while ((read = in.readNBytes(buffer, 0, CHUNK)) > 0 || seq == 0) {
        byte[] data = read == CHUNK ? buffer : java.util.Arrays.copyOf(buffer, read);
        jdbc.sql("INSERT INTO blob_chunk (blob_key, seq, data) VALUES (?, ?, ?)")
            .params(key, seq++, data)
            .update();
        jdbc.sql("UPDATE blob SET updated_at = CURRENT_TIMESTAMP WHERE blob_key = ?")
            .param(key)
            .update();
        size += read;
        if (read == 0) {
          break;
        }
      }
      jdbc.sql("UPDATE blob SET complete = TRUE, size_bytes = ? WHERE blob_key = ?")
          .params(size, key)
          .update();
      done = true;
    } finally {
      if (!done) {
        delete(key);
      }
    }
    Files.deleteIfExists(file);
    return key;
  }

  /**
   * Deletes blobs whose writer stopped before completing them (a crash mid-upload), once nothing
   * has been written to them for {@code idle}.
   *
   * @return how many were deleted
   */
  public int deleteAbandoned(java.time.Duration idle) {
    List<String> abandoned =
        jdbc.sql("SELECT blob_key FROM blob WHERE complete = FALSE AND updated_at < ?")
            .param(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minus(idle))
            .query(String.class)
            .list();
    abandoned.forEach(this::delete);
    return abandoned.size();
  }

  @Override
  public InputStream open(String key) throws IOException {
    int chunks =
        jdbc.sql(
                "SELECT COUNT(*) FROM blob_chunk c JOIN blob b ON b.blob_key = c.blob_key"
                    + " WHERE c.blob_key = ? AND b.complete = TRUE")
            .param(key)
            .query(Integer.class)
            .single();
    if (chunks == 0) {
      throw new BlobNotFoundException(key);
    }
    return new SequenceInputStream(
        new Enumeration<>() {
          private int next;

          @Override
          public boolean hasMoreElements() {
            return next < chunks;
          }

          @Override
          public InputStream nextElement() {
            if (next >= chunks) {
              throw new NoSuchElementException();
            }
            List<byte[]> data =
                jdbc.sql("SELECT data FROM blob_chunk WHERE blob_key = ? AND seq = ?")
                    .params(key, next++)
                    .query(byte[].class)
                    .list();
            return new ByteArrayInputStream(data.isEmpty() ? new byte[0] : data.get(0));
          }
        });
  }

  @Override
  public void copyTo(String key, Path target) throws IOException {
    try (InputStream in = open(key);
        OutputStream out =
            Files.newOutputStream(
                target, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
      in.transferTo(out);
    }
  }

  @Override
  public void delete(String key) {
    transactions.executeWithoutResult(
        status -> {
          jdbc.sql("DELETE FROM blob_chunk WHERE blob_key = ?").param(key).update();
          jdbc.sql("DELETE FROM blob WHERE blob_key = ?").param(key).update();
        });
  }

  @Override
  public boolean exists(String key) {
    return jdbc.sql("SELECT COUNT(*) FROM blob WHERE blob_key = ? AND complete = TRUE")
            .param(key)
            .query(Integer.class)
            .single()
        > 0;
  }
}
