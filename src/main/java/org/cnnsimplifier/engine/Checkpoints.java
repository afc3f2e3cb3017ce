package org.cnnsimplifier.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.cnnsimplifier.engine.report.Figures;
import org.cnnsimplifier.engine.report.Metrics;
import org.cnnsimplifier.engine.report.StepEvent;
import org.nd4j.shade.jackson.databind.DeserializationFeature;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Stores a {@link Checkpoint} in a directory: the model as a DL4J zip and the run state as JSON.
 * The directory is staged beside the target and moved into place, so a reader never sees half a
 * checkpoint.
 */
public final class Checkpoints {
  private static final String MODEL = "model.zip";
  private static final String STATE = "state.json";
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Checkpoints() {}

  /** The run state besides the model, as stored. */
  record State(
      int layersDone,
      List<StepEvent> steps,
      Map<String, List<Integer>> remainingKernels,
      Figures original,
      Metrics originalTest,
      double seconds) {}

  /** Writes the checkpoint to {@code directory}, replacing what was there. */
  public static void write(Checkpoint checkpoint, Path directory) {
    Path staging = directory.resolveSibling(directory.getFileName() + ".writing");
    try {
      deleteRecursively(staging);
      Files.createDirectories(staging);
      ModelFiles.write(checkpoint.model(), staging.resolve(MODEL));
      State state =
          new State(
              checkpoint.layersDone(),
              checkpoint.steps(),
              checkpoint.remainingKernels(),
              checkpoint.original(),
              checkpoint.originalTest(),
              checkpoint.seconds());
      JSON.writeValue(staging.resolve(STATE).toFile(), state);
      Path old = directory.resolveSibling(directory.getFileName() + ".old");
      deleteRecursively(old);
      if (Files.exists(directory)) {
        Files.move(directory, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
      deleteRecursively(old);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint to " + directory, e);
    }
  }

  /** Reads a checkpoint written by {@link #write}. */
  public static Checkpoint read(Path directory) {
    try {
      CnnModel model = ModelFiles.read(directory.resolve(MODEL));
      State state = JSON.readValue(directory.resolve(STATE).toFile(), State.class);
      return new Checkpoint(
          state.layersDone(),
          model,
          state.steps(),
          state.remainingKernels(),
          state.original(),
          state.originalTest(),
          state.seconds());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint from " + directory, e);
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
