package org.cnnsimplifier.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.yaml.snakeyaml.Yaml;

/**
 * What the application reads: the keys of its application*.yml files, the components of its
 * {@code @ConfigurationProperties} records, and the environment variables its YAML names in
 * placeholders. Environment variables are matched to properties by Spring Boot's own relaxed
 * binding, so a check here means the running service would see the setting.
 */
final class AppSettings {
  static final Path RESOURCES = Path.of("src", "main", "resources");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");

  /** Read by the JVM itself, not by the application. */
  static final Set<String> JVM_VARIABLES = Set.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS");

  private final Set<String> properties = new TreeSet<>();
  private final Set<String> placeholders = new TreeSet<>();

  AppSettings() {
    try (Stream<Path> files = Files.list(RESOURCES)) {
      for (Path file : files.filter(AppSettings::isApplicationYaml).toList()) {
        String text = Files.readString(file);
        for (Object document : new Yaml().loadAll(text)) {
          flatten("", document);
        }
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
          placeholders.add(matcher.group(1));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var scanner = new ClassPathScanningCandidateComponentProvider(false);
    scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
    for (BeanDefinition candidate : scanner.findCandidateComponents("org.cnnsimplifier")) {
      addRecordProperties(candidate.getBeanClassName());
    }
    properties.add("spring.profiles.active");
  }

  private static boolean isApplicationYaml(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith("application") && name.endsWith(".yml");
  }

  private void flatten(String prefix, Object node) {
    if (node instanceof Map<?, ?> map) {
      map.forEach((k, v) -> flatten(prefix.isEmpty() ? k.toString() : prefix + "." + k, v));
    } else if (!prefix.isEmpty()) {
      properties.add(prefix);
    }
  }

  private void addRecordProperties(String className) {
    try {
      Class<?> type = Class.forName(className);
      ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
      String prefix = annotation.prefix().isEmpty() ? annotation.value() : annotation.prefix();
      if (type.isRecord()) {
        for (RecordComponent component : type.getRecordComponents()) {
          properties.add(prefix + "." + kebab(component.getName()));
        }
      }
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
  }

  /** Property names the application knows (kebab case, dotted). */
  Set<String> properties() {
    return properties;
  }

  /**
   * Whether the service reads this environment variable: a placeholder in its YAML, a property by
   * relaxed binding, or a JVM variable.
   */
  boolean reads(String variable) {
    if (JVM_VARIABLES.contains(variable) || placeholders.contains(variable)) {
      return true;
    }
    StandardEnvironment environment = environmentOf(Map.of(variable, "x"));
    return properties.stream().anyMatch(p -> environment.getProperty(p) != null);
  }

  /** A Spring environment holding these variables as the process environment. */
  static StandardEnvironment environmentOf(Map<String, String> variables) {
    StandardEnvironment environment = new StandardEnvironment();
    MutablePropertySources sources = environment.getPropertySources();
    sources.forEach(source -> sources.remove(source.getName()));
    sources.addFirst(
        new SystemEnvironmentPropertySource(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.copyOf(variables)));
    ConfigurationPropertySources.attach(environment);
    return environment;
  }

  /** The default of {@code server.port} in application.yml ({@code ${PORT:8080}}). */
  static int defaultServerPort() {
    Object port = Maps.path(applicationYaml(), "server", "port");
    Matcher matcher = Pattern.compile("\\$\\{PORT:(\\d+)}").matcher(String.valueOf(port));
    if (!matcher.matches()) {
      throw new AssertionError("server.port should be ${PORT:<default>}, is " + port);
    }
    return Integer.parseInt(matcher.group(1));
  }

  static Map<String, Object> applicationYaml() {
    try {
      return new Yaml().load(Files.readString(RESOURCES.resolve("application.yml")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code application-<profile>.yml} exists (or the built-in "default"). */
  static boolean profileExists(String profile) {
    return profile.equals("default")
        || Files.exists(RESOURCES.resolve("application-" + profile + ".yml"));
  }
}
