package org.cnnsimplifier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.cnnsimplifier.deploy.Cluster.Event;
import org.cnnsimplifier.support.LearnableFixtures;
import org.cnnsimplifier.support.PostgresTestDatabase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process killed with SIGKILL in the middle of a layer, as the OOM killer or a lost node
 * would: its lease lapses, the job is rescued (its attempt given back), a new worker process
 * resumes it from the last layer's checkpoint, and it succeeds once. What the dead process was
 * writing is swept when the new one starts.
 */
class WorkerKillTest {
  @TempDir Path tmp;

  @BeforeAll
  static void requirePostgres() {
    PostgresTestDatabase.require();
  }

  @Test
  void aKilledWorkersJobIsRescuedResumedFromItsCheckpointAndSucceedsOnce() throws Exception {
    Cluster cluster =
        new Cluster(
            "worker_kill_test",
            tmp,
            Map.of(
                "cnn.workers.lease", "4s",
                "cnn.workers.heartbeat", "1s",
                "cnn.workers.reaper-interval", "1s",
                "cnn.workers.poll-interval", "500ms"));
    ServiceProcess api = cluster.start("api", false);
    ServiceProcess first = cluster.start("worker-1", true);
    ServiceProcess second = null;
    try {
      api.awaitReady(Duration.ofSeconds(100));
      first.awaitReady(Duration.ofSeconds(100));
      cluster.clear();
      String model =
          Cluster.upload(
              api,
              "/api/v1/models?name=tiny.zip",
              LearnableFixtures.modelZip(Files.createDirectories(tmp.resolve("fixtures"))));
      String data =
          Cluster.upload(
              api, "/api/v1/datasets?name=shapes.zip", LearnableFixtures.datasetZip(30, 3));
      var created =
          Cluster.createJob(
              api,
              """
              {"modelId":"%s","datasetId":"%s","criterion":"L1","strategy":"PROGRESSIVE",
               "policy":{"type":"ratio","ratio":0.5},
               "retraining":{"epochs":80,"batchSize":10,"learningRate":0.01},"seed":11}"""
                  .formatted(model, data));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
      UUID id = UUID.fromString(Cluster.JSON.readTree(created.body()).get("id").asText());

      // Mid-layer: the first layer's checkpoint is stored and the second layer has begun.
      awaitEvent(cluster, id, e -> e.type().equals("layer_started") && index(e) == 1);
      Thread.sleep(300);
      first.kill();
      assertThat(cluster.events(id))
          .as("killed in the middle of the second layer")
          .extracting(Event::type)
          .containsOnlyOnce("step")
          .doesNotContain("succeeded");
      Path work = tmp.resolve("work").resolve("job-" + id);
      assertThat(work).as("the dead worker's folder is still there").exists();

      second = cluster.start("worker-2", true);
      second.awaitReady(Duration.ofSeconds(100));
      List<Event> events = awaitEvent(cluster, id, e -> e.type().equals("succeeded"));

      assertThat(events)
          .extracting(Event::type)
          .containsSubsequence(
              "started", "step", "rescued", "started", "resumed_from_checkpoint", "succeeded");
      assertThat(events.stream().filter(e -> e.type().equals("resumed_from_checkpoint")))
          .singleElement()
          .satisfies(e -> assertThat(e.payload().get("layersDone").asInt()).isEqualTo(1));
      assertThat(events.stream().filter(e -> e.type().equals("step")))
          .as("no layer was simplified twice")
          .extracting(e -> e.payload().get("layer").asText())
          .containsExactly("conv1", "conv2");
      assertThat(Cluster.ranTwice(events)).isFalse();
      Map<String, Object> job = cluster.job(id);
      assertThat(job.get("state")).isEqualTo("SUCCEEDED");
      assertThat(job.get("attempt")).as("a rescue gives the attempt back").isEqualTo(1);
      assertThat(job.get("rescues")).isEqualTo(1);
      // The worker releases them right after it records the success: wait for that.
      for (int i = 0; i < 150 && job.get("checkpoint_blob") != null; i++) {
        Thread.sleep(200);
        job = cluster.job(id);
      }
      assertThat(job.get("checkpoint_blob")).as("working files released").isNull();
      try (Stream<Path> left = Files.list(tmp.resolve("work"))) {
        // Only the node's shared tensor stores stay: they outlive jobs by design.
        assertThat(left.filter(p -> !p.getFileName().toString().equals("tensor-stores")))
            .as("the killed worker's folder was swept")
            .isEmpty();
      }
    } finally {
      api.close();
      first.close();
      if (second != null) {
        second.close();
      }
    }
  }

  private static int index(Event event) {
    return event.payload().path("index").asInt(-1);
  }

  private static List<Event> awaitEvent(
      Cluster cluster, UUID id, java.util.function.Predicate<Event> wanted) throws Exception {
    Instant deadline = Instant.now().plusSeconds(180);
    List<Event> events = List.of();
    while (Instant.now().isBefore(deadline)) {
      events = cluster.events(id);
      if (events.stream().anyMatch(wanted)) {
        return events;
      }
      assertThat(events).extracting(Event::type).doesNotContain("failed", "retrying");
      Thread.sleep(200);
    }
    throw new AssertionError("timed out; events " + events.stream().map(Event::type).toList());
  }
}
