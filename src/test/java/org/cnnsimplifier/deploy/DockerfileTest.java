package org.cnnsimplifier.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.cnnsimplifier.deploy.DockerfileModel.Instruction;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Dockerfile, checked without a Docker engine: it builds with the README's wrapper command,
 * picks the Maven profile of its variant, runs as a non-root user on the service's port with a
 * readiness health check, and sizes the JVM and ND4J's off-heap memory from the container.
 */
class DockerfileTest {
  private static final Pattern README_BUILD =
      Pattern.compile("(?m)^(?: {4}|\\s*\\$ |`)(\\./mvnw [^`\\n]*\\bpackage\\b[^`\\n]*)`?$");

  private final DockerfileModel dockerfile = DockerfileModel.read();

  static String readmeBuildCommand() throws Exception {
    Matcher matcher = README_BUILD.matcher(Files.readString(Path.of("README.md")));
    assertThat(matcher.find()).as("README shows the ./mvnw … package build command").isTrue();
    return matcher.group(1).strip();
  }

  @Test
  void buildStageRunsTheReadmeBuildCommandWithTheWrapper() throws Exception {
    String command = readmeBuildCommand();
    assertThat(command).startsWith("./mvnw ").contains("package");

    List<Instruction> runs = dockerfile.in("build", "RUN");
    assertThat(runs).as("a stage named build").isNotEmpty();
    assertThat(runs).anySatisfy(run -> assertThat(run.arguments()).contains(command));
    assertThat(dockerfile.all("RUN"))
        .as("Maven only through the wrapper")
        .noneSatisfy(run -> assertThat(run.arguments()).containsPattern("(^|[\\s;&|])mvn\\s"));

    // What the wrapper needs is in the build context and copied in.
    List<String> copied =
        dockerfile.in("build", "COPY").stream().map(Instruction::arguments).toList();
    assertThat(String.join("\n", copied)).contains("mvnw", "pom.xml", ".mvn", "src");
    List<String> ignored = Files.readAllLines(Path.of(".dockerignore"));
    assertThat(ignored)
        .map(String::strip)
        .doesNotContain("mvnw", ".mvn", ".mvn/", "pom.xml", "src", "src/")
        .contains("target/");
  }

  @Test
  void gpuVariantBuildsWithTheCudaProfileOnACuda116Base() throws Exception {
    assertThat(dockerfile.globalArgs()).containsEntry("VARIANT", "cpu");
    // The pom picks the backend by a property: cuda when it is set, cpu when it is not.
    Map<String, String> activation = profileActivations();
    assertThat(activation).containsKeys("cpu", "cuda");
    String property = activation.get("cuda");
    assertThat(activation.get("cpu")).isEqualTo("!" + property);
    String build = dockerfile.in("build", "RUN").get(0).arguments();
    assertThat(build)
        .containsPattern("gpu\\)\\s*profile=\"-D" + Pattern.quote(property) + "\"")
        .containsPattern("cpu\\)\\s*profile=\"\"")
        .contains("$profile");

    assertThat(dockerfile.globalArgs().get("CUDA_BASE_IMAGE"))
        .startsWith("nvidia/cuda:11.6")
        .contains("cudnn8")
        .contains("runtime");
    assertThat(dockerfile.all("FROM"))
        .extracting(Instruction::arguments)
        .contains("${CUDA_BASE_IMAGE} AS run-gpu", "${JRE_IMAGE} AS run-cpu", "run-${VARIANT}");
    assertThat(dockerfile.globalArgs().get("JRE_IMAGE")).startsWith("eclipse-temurin:17-jre");
  }

  @Test
  void imageRunsAsNonRootOnTheServicePortWithAReadinessHealthCheck() {
    String image = dockerfile.finalStage();
    int port = AppSettings.defaultServerPort();

    assertThat(dockerfile.in(image, "EXPOSE"))
        .extracting(Instruction::arguments)
        .containsExactly(String.valueOf(port));
    assertThat(dockerfile.env(image)).containsEntry("PORT", String.valueOf(port));
    assertThat(dockerfile.in(image, "USER"))
        .singleElement()
        .extracting(Instruction::arguments)
        .matches(user -> !user.startsWith("0") && !user.startsWith("root"), "not root");

    assertThat(dockerfile.in(image, "HEALTHCHECK"))
        .singleElement()
        .extracting(Instruction::arguments)
        .asString()
        .contains("curl", "/actuator/health/readiness", "${PORT}");
    for (String runBase : List.of("run-cpu", "run-gpu")) {
      assertThat(dockerfile.in(runBase, "RUN"))
          .as("%s installs curl for the health check", runBase)
          .anySatisfy(
              run -> assertThat(run.arguments()).contains("apt-get install").contains("curl"));
    }
    // Exec form, so java is PID 1 and receives SIGTERM (workers hand their job back).
    assertThat(dockerfile.in(image, "ENTRYPOINT"))
        .singleElement()
        .extracting(Instruction::arguments)
        .asString()
        .startsWith("[\"java\"");
  }

  @Test
  void jvmAndNd4jMemoryFollowTheContainerLimit() throws Exception {
    String options = dockerfile.env(dockerfile.finalStage()).get("JDK_JAVA_OPTIONS");
    assertThat(options)
        .contains("-XX:MaxRAMPercentage=")
        .containsPattern("-Dorg\\.bytedeco\\.javacpp\\.maxbytes=\\d+%")
        .containsPattern("-Dorg\\.bytedeco\\.javacpp\\.maxphysicalbytes=\\d+%");
    // The chart ships the same options.
    assertThat(ChartRendering.render(Map.of()).environment("worker"))
        .containsEntry("JDK_JAVA_OPTIONS", options);

    // A JVM started as the image starts it, in a "container" of 4 GiB (MaxRAM stands in for
    // the cgroup limit the JVM reads in a container).
    long container = 4L << 30;
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-XX:MaxRAM=" + container,
            "-cp",
            System.getProperty("java.class.path"),
            JavaCppLimits.class.getName());
    builder.environment().put("JDK_JAVA_OPTIONS", options);
    builder.redirectErrorStream(true);
    Process process = builder.start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String[] lines = output.strip().split("\\R");
    String[] numbers = lines[lines.length - 1].split(" ");
    long heap = Long.parseLong(numbers[0]);
    long offHeap = Long.parseLong(numbers[1]);
    long physical = Long.parseLong(numbers[2]);

    assertThat(heap).as(output).isBetween(container / 5, container * 2 / 5);
    assertThat(offHeap).isGreaterThan(heap).isLessThan(container / 2);
    // The whole process stays under the limit: JavaCPP fails an allocation first.
    assertThat(physical).isGreaterThan(heap + offHeap).isLessThan(container * 9 / 10);
  }

  /** Profile id to the property that activates it ({@code !name} when its absence does). */
  private static Map<String, String> profileActivations() throws Exception {
    Document pom =
        DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new File("pom.xml"));
    NodeList profiles = pom.getElementsByTagName("profile");
    Map<String, String> activations = new LinkedHashMap<>();
    for (int i = 0; i < profiles.getLength(); i++) {
      Element profile = (Element) profiles.item(i);
      NodeList names = profile.getElementsByTagName("name");
      String id = profile.getElementsByTagName("id").item(0).getTextContent().strip();
      activations.put(id, names.getLength() == 0 ? null : names.item(0).getTextContent().strip());
    }
    return activations;
  }
}
