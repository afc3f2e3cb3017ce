package org.cnnsimplifier.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.UUID;
import org.cnnsimplifier.catalog.upload.FileType;
import org.cnnsimplifier.catalog.upload.IncomingFile;
import org.cnnsimplifier.catalog.upload.ModelZipCheck;
import org.cnnsimplifier.catalog.upload.ReceivedFile;
import org.cnnsimplifier.catalog.upload.UploadProblems;
import org.cnnsimplifier.catalog.upload.UploadReceiver;
import org.cnnsimplifier.catalog.upload.UploadWorkspace;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.ExportFormats;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.system.Owner;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;

/**
 * Uploads a model: receive (size limit, hash), check the type (415), guard a zip against bombs and
 * let the engine read and summarise it (422), then store the blob and the row. Nothing is stored
 * unless everything passed; a failed insert deletes the blob again.
 */
@Service
class ModelUploads {
  /** Content types a model may be declared as; the content itself decides the format. */
  static final Set<String> ACCEPTED_TYPES =
      Set.of(
          "application/zip",
          "application/x-zip-compressed",
          "application/x-hdf5",
          "application/x-hdf",
          "application/onnx",
          "application/x-onnx",
          MediaType.APPLICATION_OCTET_STREAM_VALUE);

  static final String ACCEPTED =
      "application/zip (a Deeplearning4j model), application/x-hdf5 (a Keras model),"
          + " application/octet-stream (any, such as an ONNX model) or application/onnx";

  private final UploadReceiver receiver;
  private final ModelZipCheck.Limits zipLimits;
  private final ModelRepository models;
  private final StoredBlobs blobs;
  private final UploadMetrics metrics;
  private final Clock clock;

  ModelUploads(
      UploadReceiver receiver,
      ModelZipCheck.Limits zipLimits,
      ModelRepository models,
      StoredBlobs blobs,
      UploadMetrics metrics,
      Clock clock) {
    this.receiver = receiver;
    this.zipLimits = zipLimits;
    this.models = models;
    this.blobs = blobs;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Receives, validates and stores a model.
   *
   * @param name the name to give it; null to use the file's name
   * @param inputShapeHint the input shape when the file does not tell it; may be null
   * @param preprocessing overrides what the file records (or the defaults), field by field
   */
  StoredModel upload(
      Owner owner,
      IncomingFile file,
      String name,
      InputShape inputShapeHint,
      PreprocessingRequest preprocessing) {
    try {
      StoredModel stored = receiveAndStore(owner, file, name, inputShapeHint, preprocessing);
      metrics.stored("model", stored.sizeBytes());
      return stored;
    } catch (RuntimeException e) {
      metrics.refused("model", e);
      throw e;
    }
  }

  private StoredModel receiveAndStore(
      Owner owner,
      IncomingFile file,
      String name,
      InputShape inputShapeHint,
      PreprocessingRequest preprocessingRequest) {
    String modelName = UploadNames.choose(name, file.fileName(), "model");
    DeclaredTypes.check(file.contentType(), ACCEPTED_TYPES, "model", ACCEPTED);
    try (UploadWorkspace workspace = receiver.open()) {
      workspace.checkDeclaredLength(file.declaredLength());
      ReceivedFile received;
      try (InputStream body = file.body().getInputStream()) {
        String fileName = file.fileName() != null ? file.fileName() : modelName;
        received = workspace.receive(body, fileName, type -> format(type, fileName));
      }
      if (received.sizeBytes() == 0) {
        throw UploadProblems.unprocessable("the model file " + received.fileName() + " is empty");
      }
      ModelFormat format = format(received.type(), received.fileName());
      if (format == ModelFormat.DL4J_ZIP) {
        ModelZipCheck.check(received, zipLimits);
      }
      if (format == ModelFormat.ONNX && received.sizeBytes() > zipLimits.maxTotalBytes()) {
        // The protobuf is parsed on the heap, like a DL4J zip's entries.
        throw UploadProblems.unprocessable(
            received.fileName()
                + " is "
                + received.sizeBytes()
                + " bytes, more than this service can load into memory"
                + " (cnn.uploads.max-model-uncompressed-bytes; by default a quarter of the Java"
                + " heap)");
      }
      CnnModel model = ModelFiles.read(received.path(), inputShapeHint);
      InputShape inputShape = model.inputShape();
      ArchitectureSummary architecture;
      ExportFormats exports;
      InputPreprocessing preprocessing;
      try {
        preprocessing = preprocessingRequest.over(model.preprocessing(), inputShape.channels());
        architecture = ArchitectureSummary.of(model);
        exports = ModelFiles.exportFormats(model);
      } finally {
        // The network's parameters are off-heap; free them now rather than at some later GC.
        model.dl4j().close();
      }
      String blobKey = blobs.put(received.path());
      StoredModel stored =
          new StoredModel(
              UUID.randomUUID(),
              owner,
              modelName,
              format,
              received.sizeBytes(),
              received.sha256(),
              blobKey,
              inputShape,
              architecture,
              clock.instant().truncatedTo(ChronoUnit.MICROS),
              preprocessing,
              exports);
      blobs.insertOrDelete(blobKey, () -> models.insert(stored));
      return stored;
    } catch (IOException e) {
      throw new UncheckedIOException("model upload failed: " + e.getMessage(), e);
    }
  }

  /** The format the content's type means; 415 for any other type. */
  private static ModelFormat format(FileType type, String fileName) {
    return switch (type) {
      case ZIP -> ModelFormat.DL4J_ZIP;
      case HDF5 -> ModelFormat.KERAS_H5;
      case ONNX -> ModelFormat.ONNX;
      default ->
          throw UploadProblems.unsupportedType(
              UploadWorkspace.safeFileName(fileName)
                  + " is neither a zip archive (a Deeplearning4j model), an HDF5 file (a Keras"
                  + " model) nor an ONNX model; send "
                  + ACCEPTED);
    };
  }
}
