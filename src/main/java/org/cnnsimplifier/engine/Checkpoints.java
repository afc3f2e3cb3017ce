package org.cnnsimplifier.engine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.cnnsimplifier.engine.report.Figures;
import org.cnnsimplifier.engine.report.Metrics;
import org.cnnsimplifier.engine.report.StepEvent;
import org.cnnsimplifier.engine.report.TrainingBudget;
import org.cnnsimplifier.engine.retrain.OptimizerState;
import org.cnnsimplifier.engine.retrain.StageProgress;
import org.nd4j.shade.jackson.databind.DeserializationFeature;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/**
 * Stores a {@link Checkpoint} as one zip file: the model as a DL4J zip entry and the run state as
 * JSON. The file is written beside the target and moved into place, so a reader never sees half a
 * checkpoint.
 */
public final class Checkpoints {
  private static final String MODEL = "model.zip";
  private static final String STATE = "state.json";
  private static final String TEACHER = "teacher.zip";
  private static final String TRAINING = "training.bin";
  private static final long MAX_STATE_BYTES = 64L * 1024 * 1024;
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
      double seconds,
      TrainingBudget budget) {}

  /** Writes the checkpoint to {@code file}, replacing what was there. */
  public static void write(Checkpoint checkpoint, Path file) {
    Path dir = file.toAbsolutePath().getParent();
    Path model = null;
    Path teacher = null;
    Path staging = null;
    try {
      model = Files.createTempFile(dir, "checkpoint-model", ".zip");
      ModelFiles.write(checkpoint.model(), model);
      staging = Files.createTempFile(dir, "checkpoint", ".writing");
      State state =
          new State(
              checkpoint.layersDone(),
              checkpoint.steps(),
              checkpoint.remainingKernels(),
              checkpoint.original(),
              checkpoint.originalTest(),
              checkpoint.seconds(),
              checkpoint.budget());
      if (checkpoint.teacher() != null) {
        teacher = Files.createTempFile(dir, "checkpoint-teacher", ".zip");
        ModelFiles.write(checkpoint.teacher(), teacher);
      }
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(staging))) {
        zip.putNextEntry(new ZipEntry(STATE));
        zip.write(JSON.writeValueAsBytes(state));
        zip.closeEntry();
        zip.putNextEntry(new ZipEntry(MODEL));
        Files.copy(model, zip);
        zip.closeEntry();
        if (teacher != null) {
          zip.putNextEntry(new ZipEntry(TEACHER));
          Files.copy(teacher, zip);
          zip.closeEntry();
        }
        if (checkpoint.optimizer() != null || checkpoint.fineTune() != null) {
          zip.putNextEntry(new ZipEntry(TRAINING));
          DataOutputStream out = new DataOutputStream(zip);
          out.writeBoolean(checkpoint.optimizer() != null);
          if (checkpoint.optimizer() != null) {
            checkpoint.optimizer().writeTo(out);
          }
          out.writeBoolean(checkpoint.fineTune() != null);
          if (checkpoint.fineTune() != null) {
            checkpoint.fineTune().writeTo(out);
          }
          out.flush();
          zip.closeEntry();
        }
      }
      Files.move(
          staging, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint to " + file, e);
    } finally {
      TempFiles.deleteQuietly(model);
      TempFiles.deleteQuietly(teacher);
      TempFiles.deleteQuietly(staging);
    }
  }

  /** Reads a checkpoint written by {@link #write}. */
  public static Checkpoint read(Path file) {
    Path model = null;
    Path teacher = null;
    try {
      State state = null;
      model = Files.createTempFile(file.toAbsolutePath().getParent(), "checkpoint-model", ".zip");
      boolean hasModel = false;
      boolean hasTeacher = false;
      OptimizerState optimizer = null;
      StageProgress fineTune = null;
      try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
        for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
          if (STATE.equals(entry.getName())) {
            state = JSON.readValue(limited(zip).readAllBytes(), State.class);
          } else if (MODEL.equals(entry.getName())) {
            try (OutputStream out = Files.newOutputStream(model)) {
              zip.transferTo(out);
            }
            hasModel = true;
          } else if (TEACHER.equals(entry.getName())) {
            teacher =
                Files.createTempFile(
                    file.toAbsolutePath().getParent(), "checkpoint-teacher", ".zip");
            try (OutputStream out = Files.newOutputStream(teacher)) {
              zip.transferTo(out);
            }
            hasTeacher = true;
          } else if (TRAINING.equals(entry.getName())) {
            DataInputStream in = new DataInputStream(zip);
            if (in.readBoolean()) {
              optimizer = OptimizerState.readFrom(in);
            }
            if (in.readBoolean()) {
              fineTune = StageProgress.readFrom(in);
            }
          }
        }
      }
      if (state == null || !hasModel) {
        throw new IOException("not a checkpoint: " + STATE + " or " + MODEL + " missing");
      }
      CnnModel restored = ModelFiles.read(model);
      return new Checkpoint(
          state.layersDone(),
          restored,
          state.steps(),
          state.remainingKernels(),
          state.original(),
          state.originalTest(),
          state.seconds(),
          state.budget(),
          optimizer,
          hasTeacher ? ModelFiles.read(teacher) : null,
          fineTune);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + file, e);
    } finally {
      TempFiles.deleteQuietly(model);
      TempFiles.deleteQuietly(teacher);
    }
  }

  private static InputStream limited(InputStream in) {
    return new java.io.FilterInputStream(in) {
      private long left = MAX_STATE_BYTES;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          throw new IOException("checkpoint state is larger than " + MAX_STATE_BYTES + " bytes");
        }
        int n = super.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }

      @Override
      public void close() {}
    };
  }
}
