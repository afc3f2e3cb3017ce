package org.cnnsimplifier.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.deploy.ChartRendering.Manifests;
import org.junit.jupiter.api.Test;

/**
 * The Helm chart, linted and rendered by Helm's own library (helm-java) for the default values, GPU
 * workers, an existing Secret and the optional resources, and checked on the manifests.
 */
class HelmChartTest {
  private static final String APP_VERSION =
      String.valueOf(ChartRendering.chartYaml().get("appVersion"));

  private static Map<String, Object> resources(Manifests manifests, String role) {
    return Maps.map(manifests.container(role).get("resources"));
  }

  private static Map<String, Object> podSpec(Manifests manifests, String role) {
    return Maps.map(Maps.path(manifests.deployment(role), "spec", "template", "spec"));
  }

  @Test
  void chartLintsWithoutErrorsOrWarnings() {
    LintResult lint = ChartRendering.lint();
    assertThat(lint.isFailed()).as(lint.getMessages().toString()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @Test
  void defaultsRunTheApiAndCpuWorkersFromTheAppVersionImage() {
    Manifests manifests = ChartRendering.render(Map.of());
    assertThat(APP_VERSION).isEqualTo("0.1.0");
    assertThat(manifests.container("api").get("image")).isEqualTo("cnn-simplifier:" + APP_VERSION);
    assertThat(manifests.container("worker").get("image"))
        .isEqualTo("cnn-simplifier:" + APP_VERSION);
    assertThat(manifests.ofKind("Deployment")).hasSize(2);
    assertThat(manifests.ofKind("Service")).hasSize(1);
    assertThat(manifests.ofKind("PodDisruptionBudget")).hasSize(2);
    assertThat(manifests.ofKind("HorizontalPodAutoscaler")).isEmpty();
    assertThat(manifests.ofKind("Ingress")).isEmpty();
    assertThat(manifests.ofKind("ServiceMonitor")).isEmpty();
    assertThat(Maps.path(manifests.deployment("api"), "spec", "replicas")).isEqualTo(2);
    assertThat(Maps.path(manifests.deployment("api"), "spec", "strategy", "rollingUpdate"))
        .isEqualTo(Map.of("maxUnavailable", 0, "maxSurge", 1));
    assertThat(resources(manifests, "api")).containsKeys("requests", "limits");
  }

  @Test
  void imageTagCanBeSetAndGpuWorkersAddTheGpuSuffix() {
    Manifests manifests =
        ChartRendering.render(Map.of("image.tag", "1.2.3", "worker.gpu.enabled", "true"));
    assertThat(manifests.container("api").get("image")).isEqualTo("cnn-simplifier:1.2.3");
    assertThat(manifests.container("worker").get("image")).isEqualTo("cnn-simplifier:1.2.3-gpu");
  }

  @Test
  void workersRequestNvidiaGpusOnlyWhenEnabled() {
    Manifests cpu = ChartRendering.render(Map.of());
    for (String role : List.of("api", "worker")) {
      assertThat(resources(cpu, role).toString()).doesNotContain("nvidia.com/gpu");
    }

    Manifests gpu =
        ChartRendering.render(
            Map.of(
                "worker.gpu.enabled", "true",
                "worker.gpu.nodeSelector.nvidia\\.com/gpu\\.present", "true"));
    assertThat(Maps.<Object>map(resources(gpu, "worker").get("limits")))
        .containsEntry("nvidia.com/gpu", 1)
        .containsKey("memory");
    assertThat(gpu.container("worker").get("image"))
        .isEqualTo("cnn-simplifier:" + APP_VERSION + "-gpu");
    Map<String, Object> pod = podSpec(gpu, "worker");
    assertThat(Maps.list(pod.get("tolerations")))
        .anySatisfy(t -> assertThat(t).containsEntry("key", "nvidia.com/gpu"));
    assertThat(Maps.<Object>map(pod.get("nodeSelector")))
        .containsEntry("nvidia.com/gpu.present", "true");
    // The API stays on CPU nodes with the plain image.
    assertThat(resources(gpu, "api").toString()).doesNotContain("nvidia.com/gpu");
    assertThat(gpu.container("api").get("image")).isEqualTo("cnn-simplifier:" + APP_VERSION);
  }

  @Test
  void probesUseActuatorLivenessAndReadinessOnTheContainerPort() {
    Manifests manifests = ChartRendering.render(Map.of());
    int port = AppSettings.defaultServerPort();
    for (String role : List.of("api", "worker")) {
      Map<String, Object> container = manifests.container(role);
      assertThat(Maps.list(container.get("ports")))
          .containsExactly(Map.of("name", "http", "containerPort", port, "protocol", "TCP"));
      assertThat(Maps.path(container, "livenessProbe", "httpGet"))
          .isEqualTo(Map.of("path", "/actuator/health/liveness", "port", "http"));
      assertThat(Maps.path(container, "readinessProbe", "httpGet"))
          .isEqualTo(Map.of("path", "/actuator/health/readiness", "port", "http"));
      assertThat(Maps.path(container, "startupProbe", "httpGet", "path"))
          .isEqualTo("/actuator/health/liveness");
    }
    // The probe groups the chart relies on are switched on in the application.
    Map<String, Object> yaml = AppSettings.applicationYaml();
    assertThat(Maps.path(yaml, "management", "endpoint", "health", "probes", "enabled"))
        .isEqualTo(true);
    assertThat(
            String.valueOf(
                Maps.path(
                    yaml, "management", "endpoint", "health", "group", "readiness", "include")))
        .contains("db");
  }

  @Test
  void configMapsHoldNoPasswordsOrApiKeys() {
    String password = "pw-not-for-configmaps";
    String keys = "alice:key-not-for-configmaps";
    Manifests manifests =
        ChartRendering.render(
            Map.of(
                "database.password", password,
                "apiKeys", keys,
                "config.extraEnv.CNN_WORKERS_LEASE", "120s"));
    assertThat(manifests.ofKind("ConfigMap")).isNotEmpty();
    for (Map<String, Object> configMap : manifests.ofKind("ConfigMap")) {
      Map<String, Object> data = Maps.map(configMap.get("data"));
      assertThat(data).containsEntry("CNN_WORKERS_LEASE", "120s");
      assertThat(data.keySet()).noneMatch(k -> k.matches("(?i).*(PASSWORD|API_KEYS|SECRET).*"));
      assertThat(data.values().toString()).doesNotContain(password).doesNotContain("key-not-for");
    }
    Map<String, Object> secret = manifests.ofKind("Secret").get(0);
    assertThat(Maps.<Object>map(secret.get("stringData")))
        .containsEntry("POSTGRES_PASSWORD", password)
        .containsEntry("CNN_API_KEYS", keys)
        .containsEntry("POSTGRES_URL", "jdbc:postgresql://postgresql:5432/cnn_simplifier");

    assertThatThrownBy(
            () -> ChartRendering.render(Map.of("config.extraEnv.CNN_API_KEYS", "bob:secret")))
        .hasMessageContaining("CNN_API_KEYS")
        .hasMessageContaining("existingSecret");
  }

  @Test
  void anExistingSecretReplacesTheChartsSecret() {
    Manifests manifests = ChartRendering.renderExactly(Map.of("existingSecret", "cnn-db"));
    assertThat(manifests.ofKind("Secret")).isEmpty();
    for (String role : List.of("api", "worker")) {
      assertThat(Maps.list(manifests.container(role).get("envFrom")))
          .contains(Map.of("secretRef", Map.of("name", "cnn-db")));
    }
  }

  @Test
  void anInstallWithoutApiKeysOrSecretIsRefused() {
    assertThatThrownBy(() -> ChartRendering.renderExactly(Map.of()))
        .hasMessageContaining("apiKeys is required");
  }

  @Test
  void workersGetTimeToCheckpointAndHandBackTheirJobOnShutdown() {
    Manifests manifests = ChartRendering.render(Map.of());
    Object grace = podSpec(manifests, "worker").get("terminationGracePeriodSeconds");
    assertThat(grace).isEqualTo(600);
    Duration shutdownPhase =
        Duration.parse(
            "PT"
                + Maps.path(
                        AppSettings.applicationYaml(),
                        "spring",
                        "lifecycle",
                        "timeout-per-shutdown-phase")
                    .toString()
                    .toUpperCase());
    assertThat(Duration.ofSeconds((Integer) grace)).isGreaterThan(shutdownPhase.multipliedBy(5));
    assertThat((Integer) podSpec(manifests, "api").get("terminationGracePeriodSeconds"))
        .isGreaterThan((int) shutdownPhase.toSeconds());
    assertThat(Maps.path(manifests.deployment("worker"), "spec", "strategy", "rollingUpdate"))
        .isEqualTo(Map.of("maxUnavailable", 1, "maxSurge", 0));
  }

  @Test
  void optionalIngressAutoscalerAndServiceMonitorPointAtTheRightObjects() {
    Manifests manifests =
        ChartRendering.render(
            Map.of(
                "ingress.enabled", "true",
                "api.autoscaling.enabled", "true",
                "metrics.serviceMonitor.enabled", "true"));
    Map<String, Object> api = manifests.deployment("api");
    String apiName = (String) Maps.path(api, "metadata", "name");
    assertThat(Maps.path(api, "spec", "replicas")).as("the autoscaler owns replicas").isNull();

    Map<String, Object> hpa = manifests.ofKind("HorizontalPodAutoscaler").get(0);
    assertThat(Maps.path(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(apiName);

    Map<String, Object> service =
        manifests.ofKind("Service").stream()
            .filter(
                s ->
                    "api".equals(Maps.path(s, "metadata", "labels", "app.kubernetes.io/component")))
            .findFirst()
            .orElseThrow();
    Map<String, Object> ingress = manifests.ofKind("Ingress").get(0);
    Object backend =
        Maps.path(
            Maps.list(
                    Maps.path(
                        Maps.list(Maps.path(ingress, "spec", "rules")).get(0), "http", "paths"))
                .get(0),
            "backend",
            "service");
    assertThat(backend)
        .isEqualTo(
            Map.of("name", Maps.path(service, "metadata", "name"), "port", Map.of("name", "http")));
    assertThat(Maps.<Object>map(Maps.path(service, "spec", "selector")))
        .isEqualTo(Maps.path(api, "spec", "template", "metadata", "labels"));

    Map<String, Object> monitor = manifests.ofKind("ServiceMonitor").get(0);
    assertThat(Maps.list(Maps.path(monitor, "spec", "endpoints")))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e)
                    .containsEntry("path", "/actuator/prometheus")
                    .containsEntry("port", "http"));

    for (Map<String, Object> pdb : manifests.ofKind("PodDisruptionBudget")) {
      Map<String, Object> selector = Maps.map(Maps.path(pdb, "spec", "selector", "matchLabels"));
      String role = (String) selector.get("app.kubernetes.io/component");
      assertThat(
              Maps.<Object>map(
                  Maps.path(manifests.deployment(role), "spec", "template", "metadata", "labels")))
          .containsAllEntriesOf(selector);
    }
  }

  @Test
  void notesTellHowToReachTheServiceAndWhereTheKeysAre() {
    String local = ChartRendering.notes(Map.of());
    assertThat(local)
        .contains("kubectl --namespace ml port-forward svc/cnn-cnn-simplifier 8080:80")
        .contains("http://localhost:8080/swagger-ui.html")
        .contains("get secret cnn-cnn-simplifier -o jsonpath='{.data.CNN_API_KEYS}'");

    String exposed =
        ChartRendering.notes(
            Map.of(
                "ingress.enabled", "true",
                "ingress.hosts[0].host", "cnn.example.org",
                "existingSecret", "cnn-db",
                "worker.gpu.enabled", "true"));
    assertThat(exposed)
        .contains("http://cnn.example.org/swagger-ui.html")
        .contains("get secret cnn-db ")
        .contains("1 nvidia.com/gpu each")
        .doesNotContain("port-forward svc/");
  }
}
