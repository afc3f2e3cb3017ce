package org.cnnsimplifier.engine.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.cnnsimplifier.engine.InvalidModelException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;

/** Deeplearning4j model zips (ModelSerializer), with this program's metadata entry. */
final class Dl4jZipFiles {
  private Dl4jZipFiles() {}

  /** What the zip holds, told by its configuration.json before DL4J is asked to restore it. */
  private enum Kind {
    MULTI_LAYER_NETWORK,
    COMPUTATION_GRAPH
  }

  static CnnModel read(Path file, InputShape inputShapeHint) {
    String name = file.getFileName().toString();
    Kind kind;
    Optional<ModelMetadata> metadata;
    try (ZipFile zip = new ZipFile(file.toFile())) {
      kind = kindOf(zip, name);
      metadata = metadataOf(zip);
    } catch (IOException e) {
      throw new InvalidModelException(
          name + " is not a readable zip file (truncated or damaged?): " + e.getMessage(), e);
    }
    try {
      if (kind == Kind.MULTI_LAYER_NETWORK) {
        MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), true);
        InputShape shape =
            metadata
                .map(ModelMetadata::inputShape)
                .orElseGet(() -> InputShapeInference.infer(network, inputShapeHint, name));
        ModelFormat format = metadata.map(ModelMetadata::sourceFormat).orElse(ModelFormat.DL4J_ZIP);
        return withMetadata(
            CnnModel.of(NchwConversion.toNchw(network, false), shape, format), metadata);
      }
      ComputationGraph graph = ModelSerializer.restoreComputationGraph(file.toFile(), true);
      InputShape shape =
          metadata
              .map(ModelMetadata::inputShape)
              .orElseGet(() -> InputShapeInference.infer(graph, inputShapeHint, name));
      ModelFormat format = metadata.map(ModelMetadata::sourceFormat).orElse(ModelFormat.DL4J_ZIP);
      return withMetadata(
          CnnModel.of(NchwConversion.toNchw(graph, false), shape, format), metadata);
    } catch (InvalidModelException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new InvalidModelException(
          name + " is a Deeplearning4j model zip that cannot be restored: " + e, e);
    }
  }

  /** The source format in the zip's metadata entry; DL4J_ZIP when there is none. */
  static ModelFormat recordedSourceFormat(Path file) {
    try (ZipFile zip = new ZipFile(file.toFile())) {
      return metadataOf(zip).map(ModelMetadata::sourceFormat).orElse(ModelFormat.DL4J_ZIP);
    } catch (IOException e) {
      throw new InvalidModelException(
          file.getFileName() + " is not a readable zip file: " + e.getMessage(), e);
    }
  }

  static void write(CnnModel model, Path file) {
    AtomicFile.write(
        file,
        temp -> {
          ModelSerializer.writeModel(model.dl4j(), temp.toFile(), true);
          try (FileSystem zip = FileSystems.newFileSystem(temp)) {
            Files.writeString(
                zip.getPath(ModelMetadata.ZIP_ENTRY),
                ModelMetadata.of(model).toProperties(),
                StandardCharsets.UTF_8);
          }
        });
  }

  /** A preprocessing that does not fit the network is dropped: the upload then sets one. */
  private static CnnModel withMetadata(CnnModel model, Optional<ModelMetadata> metadata) {
    try {
      return metadata.map(m -> m.applyTo(model)).orElse(model);
    } catch (IllegalArgumentException e) {
      return model;
    }
  }

  private static Kind kindOf(ZipFile zip, String name) throws IOException {
    ZipEntry entry = zip.getEntry(ModelSerializer.CONFIGURATION_JSON);
    if (entry == null) {
      throw new InvalidModelException(
          name
              + " is a zip file but not a Deeplearning4j model: it has no "
              + ModelSerializer.CONFIGURATION_JSON);
    }
    JsonNode configuration;
    try (InputStream in = zip.getInputStream(entry)) {
      configuration = new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new InvalidModelException(
          name + ": " + ModelSerializer.CONFIGURATION_JSON + " is not valid JSON: " + e, e);
    }
    if (configuration != null && configuration.has("vertices")) {
      return Kind.COMPUTATION_GRAPH;
    }
    if (configuration != null && configuration.has("confs")) {
      return Kind.MULTI_LAYER_NETWORK;
    }
    throw new InvalidModelException(
        name
            + ": "
            + ModelSerializer.CONFIGURATION_JSON
            + " describes neither a MultiLayerNetwork nor a ComputationGraph");
  }

  private static Optional<ModelMetadata> metadataOf(ZipFile zip) throws IOException {
    ZipEntry entry = zip.getEntry(ModelMetadata.ZIP_ENTRY);
    if (entry == null) {
      return Optional.empty();
    }
    try (InputStream in = zip.getInputStream(entry)) {
      // The entry is a few lines; a bounded read keeps a hostile zip from exhausting memory.
      return ModelMetadata.parse(new String(in.readNBytes(4096), StandardCharsets.ISO_8859_1));
    }
  }
}
