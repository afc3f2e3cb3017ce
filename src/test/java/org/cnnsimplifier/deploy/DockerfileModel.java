package org.cnnsimplifier.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The repository's Dockerfile as instructions, each with the stage it belongs to: continuation
 * lines joined, comments dropped, as Docker reads it.
 */
record DockerfileModel(List<DockerfileModel.Instruction> instructions) {
  static final Path FILE = Path.of("Dockerfile");
  private static final Pattern FROM = Pattern.compile("(?i)(\\S+)(?:\\s+AS\\s+(\\S+))?");
  private static final Pattern PAIR = Pattern.compile("(\\w+)=(\"(?:[^\"\\\\]|\\\\.)*\"|\\S+)");

  /** One instruction: its stage (the FROM's name, or its image), keyword and arguments. */
  record Instruction(String stage, String keyword, String arguments) {}

  static DockerfileModel read() {
    try {
      return parse(Files.readAllLines(FILE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static DockerfileModel parse(List<String> lines) {
    List<Instruction> instructions = new ArrayList<>();
    String stage = null;
    StringBuilder current = new StringBuilder();
    for (String line : lines) {
      String trimmed = line.strip();
      if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String text = current.toString().strip();
      current.setLength(0);
      if (text.isEmpty()) {
        continue;
      }
      String[] parts = text.split("\\s+", 2);
      String keyword = parts[0].toUpperCase();
      String arguments = parts.length > 1 ? parts[1] : "";
      if (keyword.equals("FROM")) {
        Matcher from = FROM.matcher(arguments);
        if (!from.matches()) {
          throw new IllegalArgumentException("cannot read FROM " + arguments);
        }
        stage = from.group(2) != null ? from.group(2) : from.group(1);
      }
      instructions.add(new Instruction(stage, keyword, arguments));
    }
    return new DockerfileModel(instructions);
  }

  List<Instruction> in(String stage, String keyword) {
    return instructions.stream()
        .filter(i -> stage.equals(i.stage()) && i.keyword().equals(keyword))
        .toList();
  }

  List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** The stage the image is made of: the last FROM. */
  String finalStage() {
    return instructions.get(instructions.size() - 1).stage();
  }

  /** Global ARG defaults (before the first FROM). */
  Map<String, String> globalArgs() {
    Map<String, String> args = new LinkedHashMap<>();
    for (Instruction instruction : instructions) {
      if (instruction.stage() != null) {
        break;
      }
      if (instruction.keyword().equals("ARG")) {
        String[] pair = instruction.arguments().split("=", 2);
        args.put(pair[0], pair.length > 1 ? pair[1] : null);
      }
    }
    return args;
  }

  /** The variables the ENV instructions of a stage set, quotes removed. */
  Map<String, String> env(String stage) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Instruction instruction : in(stage, "ENV")) {
      Matcher pair = PAIR.matcher(instruction.arguments());
      while (pair.find()) {
        String value = pair.group(2);
        if (value.startsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        env.put(pair.group(1), value);
      }
    }
    return env;
  }
}
