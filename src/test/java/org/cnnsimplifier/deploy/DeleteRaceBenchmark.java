package org.cnnsimplifier.deploy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.cnnsimplifier.support.LearnableFixtures;

/**
 * Deleting a model while a job that uses it is being created, as a command: 15 pairs of concurrent
 * requests (create a job, delete its model) against an API process and a worker on PostgreSQL, then
 * the same with data sets. Prints how each pair was answered and how many jobs failed because an
 * input vanished (the bar: none).
 *
 * <pre>
 * POSTGRES_URL=jdbc:postgresql://127.0.0.1:5432/cnn_hardening_test POSTGRES_USER=postgres \
 *   ./mvnw -B -q -Pbenchmark verify -DskipTests \
 *   -Dbench.main=org.cnnsimplifier.deploy.DeleteRaceBenchmark
 * </pre>
 */
public final class DeleteRaceBenchmark {
  static final int PAIRS = 15;

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("delete-race");
    Cluster cluster = new Cluster("delete_race_benchmark", dir, Map.of());
    ServiceProcess api = cluster.start("api", false);
    ServiceProcess worker = cluster.start("worker", true);
    try {
      api.awaitReady(Duration.ofSeconds(180));
      worker.awaitReady(Duration.ofSeconds(180));
      cluster.clear();
      byte[] model = LearnableFixtures.modelZip(Files.createDirectories(dir.resolve("fixtures")));
      byte[] data = LearnableFixtures.datasetZip(10, 3);
      for (String what : List.of("models", "datasets")) {
        List<UUID> jobs = new ArrayList<>();
        int[] answers = new int[4]; // job 202 + delete 204, job 202 + 409, job 400 + 204, other
        for (int pair = 0; pair < PAIRS; pair++) {
          String modelId = Cluster.upload(api, "/api/v1/models?name=tiny.zip", model);
          String dataId = Cluster.upload(api, "/api/v1/datasets?name=shapes.zip", data);
          String spec =
              """
              {"modelId":"%s","datasetId":"%s","criterion":"L1","strategy":"PROGRESSIVE",
               "policy":{"type":"ratio","ratio":0.5},
               "retraining":{"epochs":1,"batchSize":10,"learningRate":0.01}}"""
                  .formatted(modelId, dataId);
          String doomed = what.equals("models") ? modelId : dataId;
          CyclicBarrier together = new CyclicBarrier(2);
          CompletableFuture<HttpResponse<String>> create =
              CompletableFuture.supplyAsync(
                  () -> call(together, () -> Cluster.createJob(api, spec)));
          CompletableFuture<HttpResponse<String>> delete =
              CompletableFuture.supplyAsync(
                  () ->
                      call(
                          together,
                          () ->
                              api.send(
                                  api.request("/api/v1/" + what + "/" + doomed)
                                      .header("X-API-Key", Cluster.KEY)
                                      .DELETE()
                                      .build())));
          int job = create.get().statusCode();
          int deleted = delete.get().statusCode();
          if (job == 202) {
            jobs.add(
                UUID.fromString(Cluster.JSON.readTree(create.get().body()).get("id").asText()));
          }
          answers[
              job == 202 && deleted == 204
                  ? 0
                  : job == 202 && deleted == 409 ? 1 : job == 400 && deleted == 204 ? 2 : 3]++;
          System.out.printf("%s pair %d: job %d, delete %d%n", what, pair + 1, job, deleted);
        }
        Instant deadline = Instant.now().plus(Duration.ofMinutes(10));
        int failedVanished = 0;
        int succeeded = 0;
        int other = 0;
        for (UUID id : jobs) {
          String state;
          while (!List.of("SUCCEEDED", "FAILED", "CANCELLED")
                  .contains(state = String.valueOf(cluster.job(id).get("state")))
              && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
          }
          Object error = cluster.job(id).get("last_error");
          if (state.equals("FAILED") && String.valueOf(error).contains("deleted")) {
            failedVanished++;
          } else if (state.equals("SUCCEEDED")) {
            succeeded++;
          } else {
            other++;
          }
        }
        System.out.printf(
            "%s: %d concurrent pairs; job 202 + delete 204: %d, job 202 + delete 409: %d,"
                + " job 400 + delete 204: %d, other: %d%n",
            what, PAIRS, answers[0], answers[1], answers[2], answers[3]);
        System.out.printf(
            "%s: jobs created %d, succeeded %d, failed because their input vanished %d,"
                + " other %d%n",
            what, jobs.size(), succeeded, failedVanished, other);
      }
    } finally {
      api.close();
      worker.close();
    }
  }

  interface Call {
    HttpResponse<String> send() throws Exception;
  }

  private static HttpResponse<String> call(CyclicBarrier together, Call call) {
    try {
      together.await();
      return call.send();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private DeleteRaceBenchmark() {}
}
