package org.cnnsimplifier.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.yaml.snakeyaml.Yaml;

/**
 * The Helm chart under {@code helm/cnn-simplifier}, linted and rendered with helm-java (Helm's own
 * library, no helm binary), its manifests parsed into maps.
 */
final class ChartRendering {
  static final Path CHART = Path.of("helm", "cnn-simplifier");
  static final String RELEASE = "cnn";

  /** What every install must give when it brings no existing Secret. */
  static final Map<String, String> REQUIRED =
      Map.of("apiKeys", "alice:alice-key", "database.password", "db-password");

  private ChartRendering() {}

  static LintResult lint() {
    return new Helm(CHART).lint().call();
  }

  /** The manifests for the required values plus {@code values} (helm template --set …). */
  static Manifests render(Map<String, String> values) {
    Map<String, String> all = new LinkedHashMap<>(REQUIRED);
    all.putAll(values);
    return renderExactly(all);
  }

  /** The manifests for exactly these values on top of values.yaml. */
  static Manifests renderExactly(Map<String, String> values) {
    TemplateCommand template = new Helm(CHART).template().withName(RELEASE).withNamespace("ml");
    values.forEach(template::set);
    List<Map<String, Object>> documents = new ArrayList<>();
    for (Object document : new Yaml().loadAll(template.call())) {
      if (document instanceof Map<?, ?> map) {
        documents.add(Maps.cast(map));
      }
    }
    return new Manifests(documents);
  }

  /** NOTES.txt as an install prints it (a client-only dry run: no cluster needed). */
  static String notes(Map<String, String> values) {
    Map<String, String> all = new LinkedHashMap<>(REQUIRED);
    all.putAll(values);
    InstallCommand install =
        new Helm(CHART).install().withName(RELEASE).withNamespace("ml").dryRun().clientOnly();
    all.forEach(install::set);
    String output = install.call().getOutput();
    return output.substring(output.indexOf("NOTES:"));
  }

  /** Chart.yaml. */
  static Map<String, Object> chartYaml() {
    try {
      return new Yaml().load(Files.readString(CHART.resolve("Chart.yaml")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rendered Kubernetes objects. */
  record Manifests(List<Map<String, Object>> documents) {

    List<Map<String, Object>> ofKind(String kind) {
      return documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
    }

    Map<String, Object> named(String kind, String name) {
      return ofKind(kind).stream()
          .filter(d -> name.equals(Maps.path(d, "metadata", "name")))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
    }

    /** The Deployment of a role ({@code api} or {@code worker}). */
    Map<String, Object> deployment(String role) {
      return ofKind("Deployment").stream()
          .filter(
              d -> role.equals(Maps.path(d, "metadata", "labels", "app.kubernetes.io/component")))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no " + role + " Deployment"));
    }

    /** The only container of a role's pods. */
    Map<String, Object> container(String role) {
      List<Map<String, Object>> containers =
          Maps.list(Maps.path(deployment(role), "spec", "template", "spec", "containers"));
      if (containers.size() != 1) {
        throw new AssertionError(role + " pods should have one container: " + containers);
      }
      return containers.get(0);
    }

    /** Environment variables a role's container gets: its ConfigMap, Secret and own env. */
    Map<String, String> environment(String role) {
      Map<String, Object> container = container(role);
      Map<String, String> env = new LinkedHashMap<>();
      for (Map<String, Object> source : Maps.list(container.get("envFrom"))) {
        if (source.get("configMapRef") instanceof Map<?, ?> ref) {
          Maps.<Object>map(named("ConfigMap", (String) ref.get("name")).get("data"))
              .forEach((k, v) -> env.put(k, Objects.toString(v)));
        }
        if (source.get("secretRef") instanceof Map<?, ?> ref) {
          ofKind("Secret").stream()
              .filter(s -> ref.get("name").equals(Maps.path(s, "metadata", "name")))
              .findFirst()
              .ifPresent(
                  secret ->
                      Maps.<Object>map(secret.get("stringData"))
                          .forEach((k, v) -> env.put(k, Objects.toString(v))));
        }
      }
      for (Map<String, Object> variable : Maps.list(container.get("env"))) {
        env.put((String) variable.get("name"), Objects.toString(variable.get("value")));
      }
      return env;
    }
  }
}
