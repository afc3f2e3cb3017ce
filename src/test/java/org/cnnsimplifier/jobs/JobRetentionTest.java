package org.cnnsimplifier.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.cnnsimplifier.jobs.queue.JobState;
import org.cnnsimplifier.jobs.queue.Lease;
import org.cnnsimplifier.jobs.queue.NewJob;
import org.cnnsimplifier.storage.BlobStore;
import org.cnnsimplifier.support.ServiceTest;
import org.cnnsimplifier.support.UploadRows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * What finished jobs keep: a job that ended can be deleted with its events and blobs (one still
 * going cannot); retention retires results, checkpoints and events of jobs past {@code
 * cnn.retention.results} (the result then answers 410, the report stays); and the working blobs of
 * a job the rescuer ended are deleted although no worker was left to do it.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "cnn.security.api-keys=alice:ka",
      "cnn.workers.enabled=false",
      "cnn.workers.reaper-enabled=false",
      "cnn.retention.results=30d",
      "cnn.retention.initial-delay=1h"
    })
class JobRetentionTest extends ServiceTest {
  private static final UUID MODEL = UUID.randomUUID();
  private static final UUID DATASET = UUID.randomUUID();

  @Autowired JobQueue queue;
  @Autowired BlobStore blobs;
  @Autowired JobRetention retention;
  @TempDir Path tmp;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void inputs() {
    deleteJobs();
    jdbc.sql("DELETE FROM model").update();
    jdbc.sql("DELETE FROM dataset").update();
    UploadRows.insert(jdbc, MODEL, DATASET);
  }

  private HttpResponse<String> call(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .header("X-API-Key", "ka")
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String blob(String content) throws Exception {
    return blobs.put(Files.writeString(Files.createTempFile(tmp, "blob", ".bin"), content));
  }

  private Lease running() {
    queue.enqueue(new NewJob("alice", 0, 3, MODEL, DATASET, "{}", null, null));
    return queue.claim("w", Duration.ofMinutes(5)).orElseThrow().lease();
  }

  private long events(UUID id) {
    return jdbc.sql("SELECT COUNT(*) FROM job_event WHERE job_id = ?")
        .param(id)
        .query(Long.class)
        .single();
  }

  @Test
  void aJobThatEndedIsDeletedWithItsEventsAndBlobsAndOneStillGoingIsNot() throws Exception {
    Lease lease = running();
    UUID id = lease.jobId();
    assertThat(call("DELETE", "/api/v1/jobs/" + id).statusCode()).isEqualTo(409);

    String result = blob("model");
    assertThat(queue.succeed(lease, result, "{\"steps\":[]}")).isTrue();
    assertThat(call("DELETE", "/api/v1/jobs/" + id).statusCode()).isEqualTo(204);

    assertThat(blobs.exists(result)).isFalse();
    assertThat(events(id)).isZero();
    assertThat(call("GET", "/api/v1/jobs/" + id).statusCode()).isEqualTo(404);
    assertThat(call("DELETE", "/api/v1/jobs/" + id).statusCode()).isEqualTo(404);
    // With no job left referring to it, the model can go.
    assertThat(call("DELETE", "/api/v1/models/" + MODEL).statusCode()).isEqualTo(204);
  }

  @Test
  void retentionRetiresOldResultsAndKeepsTheReport() throws Exception {
    Lease old = running();
    String oldResult = blob("old model");
    queue.succeed(old, oldResult, "{\"steps\":[]}");
    jdbc.sql("UPDATE job SET finished_at = ? WHERE id = ?")
        .params(OffsetDateTime.now(ZoneOffset.UTC).minusDays(31), old.jobId())
        .update();
    Lease recent = running();
    String recentResult = blob("recent model");
    queue.succeed(recent, recentResult, "{\"steps\":[]}");

    retention.sweep();

    assertThat(blobs.exists(oldResult)).isFalse();
    assertThat(events(old.jobId())).isZero();
    assertThat(queue.findAny(old.jobId()).orElseThrow().expiredAt()).isNotNull();
    HttpResponse<String> gone = call("GET", "/api/v1/jobs/" + old.jobId() + "/result");
    assertThat(gone.statusCode()).isEqualTo(410);
    assertThat(gone.body()).contains("cnn.retention.results");
    assertThat(call("GET", "/api/v1/jobs/" + old.jobId() + "/report").statusCode()).isEqualTo(200);
    assertThat(blobs.exists(recentResult)).isTrue();
    assertThat(events(recent.jobId())).isPositive();
  }

  @Test
  void theWorkingBlobsOfAJobTheRescuerEndedAreDeleted() throws Exception {
    Lease lease = running();
    String checkpoint = blob("checkpoint");
    assertThat(queue.saveCheckpoint(lease, 1, checkpoint)).isTrue();
    queue.requestCancel(lease.jobId(), "alice");
    jdbc.sql("UPDATE job SET lease_expires_at = ? WHERE id = ?")
        .params(OffsetDateTime.now(ZoneOffset.UTC).minusHours(1), lease.jobId())
        .update();
    assertThat(queue.rescueExpired()).isEqualTo(1);
    assertThat(queue.findAny(lease.jobId()).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
    assertThat(blobs.exists(checkpoint)).as("no worker was left to delete it").isTrue();

    retention.sweep();

    assertThat(blobs.exists(checkpoint)).isFalse();
    assertThat(queue.findAny(lease.jobId()).orElseThrow().checkpointBlob()).isNull();
  }
}
