package org.cnnsimplifier.engine.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.InvalidModelException;
import org.cnnsimplifier.engine.model.keras.KerasExport;
import org.cnnsimplifier.engine.model.onnx.OnnxExport;
import org.cnnsimplifier.engine.model.onnx.OnnxImport;
import org.cnnsimplifier.engine.runtime.NativeRuntime;

/**
 * Reads and writes model files.
 *
 * <p>The format is told by content, not by name: a zip is a Deeplearning4j model (ModelSerializer,
 * MultiLayerNetwork or ComputationGraph), an HDF5 file is a Keras model (Sequential or functional),
 * a serialized ONNX ModelProto an ONNX model (opset 11–17, as PyTorch exports it). Every model read
 * is validated (one input, one output, at least one 2D convolution) and converted to NCHW, the only
 * layout the engine trains. Anything wrong with the file ends in an {@link InvalidModelException}
 * whose message says what; no DL4J exception escapes.
 *
 * <p>Models are written as DL4J zips with their updater state and an extra entry holding the input
 * shape, source format and preprocessing, which {@link #read(Path)} uses when present; and exported
 * as ONNX or Keras HDF5 when their layers have counterparts there ({@link #exportFormats}).
 */
public final class ModelFiles {
  private static final byte[] ZIP_MAGIC = {'P', 'K'};
  private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

  private ModelFiles() {}

  /** Reads a model whose file reveals its input shape. */
  public static CnnModel read(Path file) {
    return read(file, null);
  }

  /**
   * Reads a model.
   *
   * @param file a DL4J model zip, a Keras HDF5 file or an ONNX model
   * @param inputShapeHint the input shape to use when the file does not reveal it; may be null. A
   *     shape the file does reveal wins over the hint.
   * @throws InvalidModelException if the file is not a readable model or cannot be simplified
   */
  public static CnnModel read(Path file, InputShape inputShapeHint) {
    NativeRuntime.initialize();
    byte[] head = head(file);
    if (head.length == 0) {
      throw new InvalidModelException(file.getFileName() + " is empty");
    }
    CnnModel model;
    if (startsWith(head, HDF5_SIGNATURE)) {
      model = KerasFiles.read(file, inputShapeHint);
    } else if (startsWith(head, ZIP_MAGIC)) {
      model = Dl4jZipFiles.read(file, inputShapeHint);
    } else if (OnnxImport.looksLikeOnnx(head)) {
      model = OnnxImport.read(file, inputShapeHint);
    } else {
      throw new InvalidModelException(
          file.getFileName()
              + " is neither a Deeplearning4j model zip, a Keras HDF5 file nor an ONNX model");
    }
    String name = file.getFileName().toString();
    ModelValidation.validate(model, name);
    model = ClassifierHead.normalised(model, name);
    ModelValidation.requireFiniteOutput(model, name);
    return model;
  }

  /**
   * Writes the model as a DL4J zip with updater state and metadata. The file appears whole or not
   * at all: it is written to a temporary file in the same folder and then moved into place.
   *
   * @throws UncheckedIOException if the file cannot be written; nothing is left behind then
   */
  public static void write(CnnModel model, Path file) {
    Dl4jZipFiles.write(model, file);
  }

  /**
   * Writes the model in the given format, atomically like {@link #write(CnnModel, Path)}.
   *
   * @throws InvalidModelException when the format has no counterpart for one of its layers (the
   *     message names the layer); nothing is written then
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void write(CnnModel model, ModelFormat format, Path file) {
    switch (format) {
      case DL4J_ZIP -> Dl4jZipFiles.write(model, file);
      case ONNX -> AtomicFile.write(file, temp -> OnnxExport.write(model, temp));
      case KERAS_H5 -> {
        KerasExport.refusal(model)
            .ifPresent(
                why -> {
                  throw new InvalidModelException(why);
                });
        AtomicFile.write(file, temp -> KerasExport.write(model, temp));
      }
    }
  }

  /**
   * The formats the model can be written in (always DL4J_ZIP), and why each other one cannot. Only
   * the structure is checked; no file is written.
   */
  public static ExportFormats exportFormats(CnnModel model) {
    Map<ModelFormat, String> refused = new EnumMap<>(ModelFormat.class);
    OnnxExport.refusal(model).ifPresent(why -> refused.put(ModelFormat.ONNX, why));
    KerasExport.refusal(model).ifPresent(why -> refused.put(ModelFormat.KERAS_H5, why));
    List<ModelFormat> available =
        Arrays.stream(ModelFormat.values()).filter(f -> !refused.containsKey(f)).toList();
    return new ExportFormats(available, refused);
  }

  /**
   * The format a model file stands for without reading the network: for a zip this program wrote,
   * the format its model first came in (recorded in the metadata entry); else the file's own.
   *
   * @throws InvalidModelException when the file is no model file
   */
  public static ModelFormat sourceFormat(Path file) {
    byte[] head = head(file);
    if (startsWith(head, HDF5_SIGNATURE)) {
      return ModelFormat.KERAS_H5;
    }
    if (startsWith(head, ZIP_MAGIC)) {
      return Dl4jZipFiles.recordedSourceFormat(file);
    }
    if (OnnxImport.looksLikeOnnx(head)) {
      return ModelFormat.ONNX;
    }
    throw new InvalidModelException(file.getFileName() + " is no model file");
  }

  private static byte[] head(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(HDF5_SIGNATURE.length);
    } catch (NoSuchFileException e) {
      throw new InvalidModelException(file.getFileName() + " does not exist", e);
    } catch (IOException e) {
      throw new InvalidModelException(file.getFileName() + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static boolean startsWith(byte[] head, byte[] prefix) {
    return head.length >= prefix.length
        && Arrays.equals(Arrays.copyOf(head, prefix.length), prefix);
  }
}
