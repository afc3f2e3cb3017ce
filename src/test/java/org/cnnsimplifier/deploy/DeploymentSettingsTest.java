package org.cnnsimplifier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.yaml.snakeyaml.Yaml;

/**
 * The settings docker-compose.yml, the Dockerfile and the Helm chart give the service are ones it
 * reads: environment variables that bind to its properties, profiles it has, its port, and the API
 * and worker roles switched the way the service expects.
 */
class DeploymentSettingsTest {
  private final AppSettings app = new AppSettings();
  private final Map<String, Object> compose = compose();
  private final ChartRendering.Manifests chart = ChartRendering.render(Map.of());

  @SuppressWarnings("unchecked")
  private static Map<String, Object> compose() {
    try {
      return new Yaml().load(Files.readString(Path.of("docker-compose.yml")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Map<String, Object> service(String name) {
    Map<String, Object> service = Maps.map(Maps.path(compose, "services", name));
    assertThat(service).as("compose service %s", name).isNotEmpty();
    return service;
  }

  private Map<String, String> composeEnvironment(String name) {
    Map<String, String> env = new LinkedHashMap<>();
    Maps.<Object>map(service(name).get("environment"))
        .forEach((k, v) -> env.put(k, Objects.toString(v)));
    return env;
  }

  /**
   * Every environment the service gets: compose's app services, the chart's two roles, the image.
   */
  private Map<String, Map<String, String>> environments() {
    Map<String, Map<String, String>> all = new LinkedHashMap<>();
    for (String name : List.of("api", "worker", "gpu-worker")) {
      all.put("compose " + name, composeEnvironment(name));
    }
    all.put("chart api", chart.environment("api"));
    all.put("chart worker", chart.environment("worker"));
    DockerfileModel dockerfile = DockerfileModel.read();
    all.put("Dockerfile", dockerfile.env(dockerfile.finalStage()));
    return all;
  }

  @Test
  void everyEnvironmentVariableIsReadByTheService() {
    environments()
        .forEach(
            (where, env) ->
                assertThat(env.keySet())
                    .as("%s: variables the service does not read", where)
                    .allMatch(app::reads));
    assertThat(app.reads("CNN_WORKERS_ENABLEDD")).as("a misspelt name is caught").isFalse();
  }

  @Test
  void everyProfileNamedHasItsApplicationYaml() {
    environments()
        .forEach(
            (where, env) -> {
              String profiles = env.get("SPRING_PROFILES_ACTIVE");
              if (profiles != null) {
                assertThat(profiles.split(","))
                    .as(where)
                    .allMatch(p -> AppSettings.profileExists(p.strip()));
              }
            });
    assertThat(composeEnvironment("api")).containsEntry("SPRING_PROFILES_ACTIVE", "postgres");
    assertThat(chart.environment("worker")).containsEntry("SPRING_PROFILES_ACTIVE", "postgres");
  }

  @Test
  void apiRoleRunsNoWorkersAndWorkerRoleServesNoApi() {
    for (Map<String, String> env : List.of(composeEnvironment("api"), chart.environment("api"))) {
      StandardEnvironment spring = AppSettings.environmentOf(env);
      assertThat(spring.getProperty("cnn.workers.enabled", Boolean.class)).isFalse();
      assertThat(spring.getProperty("cnn.api.enabled", Boolean.class, true)).isTrue();
    }
    for (Map<String, String> env :
        List.of(
            composeEnvironment("worker"),
            composeEnvironment("gpu-worker"),
            chart.environment("worker"))) {
      StandardEnvironment spring = AppSettings.environmentOf(env);
      assertThat(spring.getProperty("cnn.api.enabled", Boolean.class)).isFalse();
      assertThat(spring.getProperty("cnn.workers.enabled", Boolean.class, true)).isTrue();
      // Workers share blobs through the database: no volume between containers.
      assertThat(spring.getProperty("cnn.blobs.store")).isEqualTo("database");
    }
  }

  @Test
  void composeRunsPostgres16TheApiOnTheServicePortAndOneWorker() {
    int port = AppSettings.defaultServerPort();
    Map<String, Object> postgres = service("postgres");
    assertThat(postgres.get("image")).isEqualTo("postgres:16");
    assertThat(Maps.path(postgres, "healthcheck", "test").toString()).contains("pg_isready");
    String volume = ((List<?>) postgres.get("volumes")).get(0).toString().split(":")[0];
    assertThat(Maps.<Object>map(compose.get("volumes"))).containsKey(volume);

    Map<String, Object> api = service("api");
    assertThat((List<?>) api.get("ports")).singleElement().asString().endsWith(":" + port);
    assertThat(Maps.path(api, "depends_on", "postgres", "condition")).isEqualTo("service_healthy");
    assertThat(composeEnvironment("api").get("CNN_API_KEYS")).contains(":-local:");
    assertThat(composeEnvironment("api").get("POSTGRES_URL")).contains("//postgres:5432/");
    assertThat(service("worker").get("ports")).isNull();
  }

  @Test
  @SuppressWarnings("unchecked")
  void composeGpuWorkerIsOptionalAndReservesAnNvidiaGpu() {
    Map<String, Object> gpu = service("gpu-worker");
    assertThat((List<Object>) gpu.get("profiles")).containsExactly("gpu");
    assertThat(Maps.path(gpu, "build", "args", "VARIANT")).isEqualTo("gpu");
    assertThat(Maps.path(service("worker"), "build", "args", "VARIANT")).isEqualTo("cpu");
    List<Map<String, Object>> devices =
        Maps.list(Maps.path(gpu, "deploy", "resources", "reservations", "devices"));
    assertThat(devices)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.get("driver")).isEqualTo("nvidia");
              assertThat((List<Object>) d.get("capabilities")).contains("gpu");
            });
    assertThat(service("worker").get("profiles")).isNull();
  }

  @Test
  void chartListensOnTheServicePort() {
    int port = AppSettings.defaultServerPort();
    for (String role : List.of("api", "worker")) {
      assertThat(Maps.list(chart.container(role).get("ports")))
          .singleElement()
          .satisfies(
              p ->
                  assertThat(p).containsEntry("name", "http").containsEntry("containerPort", port));
      assertThat(chart.environment(role)).containsEntry("PORT", String.valueOf(port));
    }
  }

  @Test
  void imageChartAndComposeCarryTheProjectVersion() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher version =
        Pattern.compile(
                "<artifactId>cnn-simplifier</artifactId>\\s*<version>([^<]+?)(-SNAPSHOT)?</version>")
            .matcher(pom);
    assertThat(version.find()).isTrue();
    String release = version.group(1);

    assertThat(ChartRendering.chartYaml().get("appVersion")).isEqualTo(release);
    DockerfileModel dockerfile = DockerfileModel.read();
    assertThat(dockerfile.in(dockerfile.finalStage(), "LABEL"))
        .singleElement()
        .extracting(DockerfileModel.Instruction::arguments)
        .asString()
        .contains("org.opencontainers.image.version=\"" + release + "\"");
    assertThat(String.valueOf(service("api").get("image"))).endsWith(":" + release + "}");
    assertThat(String.valueOf(service("gpu-worker").get("image")))
        .endsWith(":" + release + "-gpu}");
  }
}
