package org.cnnsimplifier.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.cnnsimplifier.deploy.Cluster.Event;
import org.cnnsimplifier.support.LearnableFixtures;
import tools.jackson.databind.JsonNode;

/**
 * The kill test at scale, as a command: one API process and three worker processes on PostgreSQL
 * with the database blob store; 20 jobs; 20 times a worker that is in the middle of a layer gets
 * SIGKILL and a new worker process takes its place. Prints jobs submitted, succeeded, failed, lost
 * (not ended) and run twice (two attempts at once, or two successes), and whether each result is
 * that of an uninterrupted run of the same job. Queue settings are the defaults (max-attempts 3,
 * max-rescues 10) except the timing (lease 10 s, heartbeat 2 s, reaper every 2 s), so a kill is
 * noticed in seconds rather than a minute.
 *
 * <pre>
 * POSTGRES_URL=jdbc:postgresql://127.0.0.1:5432/cnn_hardening_test POSTGRES_USER=postgres \
 *   ./mvnw -B -q -Pbenchmark verify -DskipTests -Dbench.main=org.cnnsimplifier.deploy.KillBenchmark
 * </pre>
 */
public final class KillBenchmark {
  static final int JOBS = 20;
  static final int KILLS = 20;
  static final int WORKERS = 3;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("kill-benchmark");
    Cluster cluster =
        new Cluster(
            "kill_benchmark",
            dir,
            Map.of(
                "cnn.workers.lease", "10s",
                "cnn.workers.heartbeat", "2s",
                "cnn.workers.reaper-interval", "2s"));
    List<ServiceProcess> processes = new CopyOnWriteArrayList<>();
    Instant began = Instant.now();
    try {
      ServiceProcess api = cluster.start("api", false);
      processes.add(api);
      List<ServiceProcess> workers = new CopyOnWriteArrayList<>();
      for (int i = 0; i < WORKERS; i++) {
        workers.add(cluster.start("worker-" + i, true));
      }
      processes.addAll(workers);
      api.awaitReady(Duration.ofSeconds(180));
      for (ServiceProcess worker : workers) {
        worker.awaitReady(Duration.ofSeconds(180));
      }
      cluster.clear();
      String model =
          Cluster.upload(
              api,
              "/api/v1/models?name=tiny.zip",
              LearnableFixtures.modelZip(Files.createDirectories(dir.resolve("fixtures"))));
      String data =
          Cluster.upload(
              api, "/api/v1/datasets?name=shapes.zip", LearnableFixtures.datasetZip(30, 3));
      String spec =
          """
          {"modelId":"%s","datasetId":"%s","criterion":"L1","strategy":"PROGRESSIVE",
           "policy":{"type":"ratio","ratio":0.5},
           "retraining":{"epochs":12,"batchSize":10,"learningRate":0.01},"seed":11}"""
              .formatted(model, data);

      // The uninterrupted result every job must reproduce.
      UUID reference = submit(api, spec);
      awaitEnded(cluster, List.of(reference), Duration.ofMinutes(10));
      JsonNode expected = Cluster.JSON.readTree((String) cluster.job(reference).get("report"));

      List<UUID> jobs = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        jobs.add(submit(api, spec));
      }
      Random random = new Random(20);
      int kills = 0;
      int spawned = WORKERS;
      Instant deadline = Instant.now().plus(Duration.ofMinutes(45));
      while (kills < KILLS && Instant.now().isBefore(deadline) && !allEnded(cluster, jobs)) {
        Thread.sleep(3000 + random.nextInt(5000));
        for (Map.Entry<UUID, String> running : cluster.running().entrySet()) {
          ServiceProcess victim = holder(workers, running.getValue());
          if (victim == null || !midLayer(cluster.events(running.getKey()))) {
            continue;
          }
          victim.kill();
          workers.remove(victim);
          kills++;
          System.out.printf(
              "kill %d: worker %s (pid %d) running job %s%n",
              kills, running.getValue(), victim.pid(), running.getKey());
          ServiceProcess fresh = cluster.start("worker-" + spawned++, true);
          processes.add(fresh);
          workers.add(fresh);
          break;
        }
      }
      awaitEnded(cluster, jobs, Duration.ofMinutes(30));

      int succeeded = 0;
      int failed = 0;
      int lost = 0;
      int twice = 0;
      int identical = 0;
      int rescues = 0;
      for (UUID id : jobs) {
        Map<String, Object> job = cluster.job(id);
        List<Event> events = cluster.events(id);
        switch (String.valueOf(job.get("state"))) {
          case "SUCCEEDED" -> succeeded++;
          case "FAILED" -> {
            failed++;
            System.out.println("failed " + id + ": " + job.get("last_error"));
          }
          default -> lost++;
        }
        twice += Cluster.ranTwice(events) ? 1 : 0;
        rescues += (Integer) job.get("rescues");
        if (job.get("report") != null
            && sameResult(expected, Cluster.JSON.readTree((String) job.get("report")))) {
          identical++;
        }
      }
      long leftovers;
      try (Stream<Path> work = Files.list(dir.resolve("work"))) {
        leftovers = work.count();
      }
      System.out.printf(
          "kill test: %d worker processes, %d kills (SIGKILL mid-layer), %d rescues%n",
          WORKERS, kills, rescues);
      System.out.printf(
          "jobs submitted %d, succeeded %d, failed %d, lost %d, run twice %d%n",
          jobs.size(), succeeded, failed, lost, twice);
      System.out.printf(
          "results identical to the uninterrupted run: %d of %d; job work folders left: %d;"
              + " %d s%n",
          identical, succeeded, leftovers, Duration.between(began, Instant.now()).toSeconds());
    } finally {
      for (ServiceProcess process : processes) {
        process.close();
      }
    }
  }

  private static UUID submit(ServiceProcess api, String spec) throws Exception {
    var response = Cluster.createJob(api, spec);
    if (response.statusCode() != 202) {
      throw new AssertionError(response.statusCode() + ": " + response.body());
    }
    return UUID.fromString(Cluster.JSON.readTree(response.body()).get("id").asText());
  }

  private static ServiceProcess holder(List<ServiceProcess> workers, String workerId) {
    if (workerId == null) {
      return null;
    }
    for (ServiceProcess worker : workers) {
      String id = worker.workerId();
      if (id != null && workerId.startsWith(id + "/") && worker.isAlive()) {
        return worker;
      }
    }
    return null;
  }

  /** A layer began at least two seconds ago and has not finished. */
  private static boolean midLayer(List<Event> events) {
    for (int i = events.size() - 1; i >= 0; i--) {
      Event event = events.get(i);
      if (event.type().equals("step") || event.type().equals("started")) {
        return false;
      }
      if (event.type().equals("layer_started")) {
        return true;
      }
    }
    return false;
  }

  private static boolean allEnded(Cluster cluster, List<UUID> jobs) throws Exception {
    for (UUID id : jobs) {
      String state = String.valueOf(cluster.job(id).get("state"));
      if (!List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(state)) {
        return false;
      }
    }
    return true;
  }

  private static void awaitEnded(Cluster cluster, List<UUID> jobs, Duration timeout)
      throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (!allEnded(cluster, jobs) && Instant.now().isBefore(deadline)) {
      Thread.sleep(1000);
    }
  }

  /** The same kernels removed, parameters and accuracies in every step. */
  private static boolean sameResult(JsonNode expected, JsonNode actual) {
    JsonNode a = expected.path("steps");
    JsonNode b = actual.path("steps");
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      for (String field : List.of("removedKernels", "paramsAfter", "afterRetraining")) {
        if (!a.get(i).path(field).equals(b.get(i).path(field))) {
          return false;
        }
      }
    }
    return true;
  }
}
