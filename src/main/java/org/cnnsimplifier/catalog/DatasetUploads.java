package org.cnnsimplifier.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.cnnsimplifier.catalog.upload.FileType;
import org.cnnsimplifier.catalog.upload.IdxBundle;
import org.cnnsimplifier.catalog.upload.IncomingFile;
import org.cnnsimplifier.catalog.upload.ReceivedFile;
import org.cnnsimplifier.catalog.upload.UploadProblems;
import org.cnnsimplifier.catalog.upload.UploadReceiver;
import org.cnnsimplifier.catalog.upload.UploadWorkspace;
import org.cnnsimplifier.engine.data.ArchiveLimits;
import org.cnnsimplifier.engine.data.DatasetOptions;
import org.cnnsimplifier.engine.data.DatasetSummary;
import org.cnnsimplifier.engine.data.ImageDataset;
import org.cnnsimplifier.engine.data.ImageDatasets;
import org.cnnsimplifier.system.ApiException;
import org.cnnsimplifier.system.Owner;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Service;

/**
 * Uploads a data set: one zip (class folders or IDX files inside), or IDX files as separate parts,
 * which are zipped together. The engine opens the zip within the archive limits, decodes every
 * image once and summarises it (422 when it cannot); only then are the blob and the row stored.
 */
@Service
class DatasetUploads {
  static final Set<String> ZIP_TYPES =
      Set.of(
          "application/zip",
          "application/x-zip-compressed",
          MediaType.APPLICATION_OCTET_STREAM_VALUE);

  /** Multipart parts may also be gzipped IDX files. */
  static final Set<String> PART_TYPES =
      Set.of(
          "application/zip",
          "application/x-zip-compressed",
          "application/gzip",
          "application/x-gzip",
          MediaType.APPLICATION_OCTET_STREAM_VALUE);

  static final String ACCEPTED_RAW = "application/zip or application/octet-stream (a zip archive)";
  static final String ACCEPTED_PARTS =
      "a zip archive (application/zip) or IDX files (application/octet-stream, gzipped:"
          + " application/gzip)";

  private final UploadReceiver receiver;
  private final ArchiveLimits limits;
  private final DatasetRepository datasets;
  private final StoredBlobs blobs;
  private final UploadMetrics metrics;
  private final Clock clock;

  DatasetUploads(
      UploadReceiver receiver,
      ArchiveLimits limits,
      DatasetRepository datasets,
      StoredBlobs blobs,
      UploadMetrics metrics,
      Clock clock) {
    this.receiver = receiver;
    this.limits = limits;
    this.datasets = datasets;
    this.blobs = blobs;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Receives, validates and stores a data set.
   *
   * @param files one zip, or IDX files
   * @param raw whether the files came as a raw body (then only a zip is accepted)
   * @param name the name to give it; null to use the file's name
   * @param validationFraction the share of train held out for validation when there is no
   *     validation split
   * @param testFraction the share of train held out as the test split when there is no test split
   * @param seed seeds those splits
   */
  StoredDataset upload(
      Owner owner,
      List<IncomingFile> files,
      boolean raw,
      String name,
      double validationFraction,
      double testFraction,
      long seed) {
    try {
      StoredDataset stored =
          receiveAndStore(owner, files, raw, name, validationFraction, testFraction, seed);
      metrics.stored("dataset", stored.sizeBytes());
      return stored;
    } catch (RuntimeException e) {
      metrics.refused("dataset", e);
      throw e;
    }
  }

  private StoredDataset receiveAndStore(
      Owner owner,
      List<IncomingFile> files,
      boolean raw,
      String name,
      double validationFraction,
      double testFraction,
      long seed) {
    if (!(validationFraction >= 0 && validationFraction < 1)) {
      throw ApiException.badRequest(
          "validationFraction must be at least 0 and below 1",
          Map.of("validationFraction", "must be in [0, 1), got " + validationFraction));
    }
    if (!(testFraction >= 0 && testFraction < 1)) {
      throw ApiException.badRequest(
          "testFraction must be at least 0 and below 1",
          Map.of("testFraction", "must be in [0, 1), got " + testFraction));
    }
    if (!(validationFraction + testFraction < 1)) {
      throw ApiException.badRequest(
          "validationFraction + testFraction must be below 1: some images must stay for training",
          Map.of(
              "testFraction",
              "validationFraction "
                  + validationFraction
                  + " + testFraction "
                  + testFraction
                  + " leaves no training images; lower one of them"));
    }
    if (files.isEmpty()) {
      throw ApiException.badRequest("send the data set in the multipart part 'file'");
    }
    String datasetName =
        UploadNames.choose(name, files.size() == 1 ? files.get(0).fileName() : null, "dataset");
    for (IncomingFile file : files) {
      DeclaredTypes.check(
          file.contentType(),
          raw ? ZIP_TYPES : PART_TYPES,
          "data set",
          raw ? ACCEPTED_RAW : ACCEPTED_PARTS);
    }
    try (UploadWorkspace workspace = receiver.open()) {
      List<ReceivedFile> received = new ArrayList<>();
      for (IncomingFile file : files) {
        workspace.checkDeclaredLength(file.declaredLength());
        String fileName = file.fileName() != null ? file.fileName() : datasetName;
        try (InputStream body = file.body().getInputStream()) {
          received.add(workspace.receive(body, fileName, type -> checkType(type, fileName, raw)));
        }
      }
      ReceivedFile zip = asZip(received, raw, workspace);
      DatasetOptions options =
          DatasetOptions.defaults()
              .withValidationFraction(validationFraction)
              .withTestFraction(testFraction)
              .withSeed(seed)
              .withLimits(limits)
              .withWorkDir(workspace.dir());
      DatasetSummary summary;
      try (ImageDataset dataset = ImageDatasets.open(zip.path(), options)) {
        // Every image decoded once now, so a damaged one is refused by name here, not minutes
        // into a job.
        dataset.verify();
        summary = dataset.summary();
      }
      String blobKey = blobs.put(zip.path());
      StoredDataset stored =
          new StoredDataset(
              UUID.randomUUID(),
              owner,
              datasetName,
              summary.sourceKind(),
              zip.sizeBytes(),
              zip.sha256(),
              blobKey,
              summary,
              validationFraction,
              testFraction,
              seed,
              clock.instant().truncatedTo(ChronoUnit.MICROS));
      blobs.insertOrDelete(blobKey, () -> datasets.insert(stored));
      return stored;
    } catch (IOException e) {
      throw new UncheckedIOException("data set upload failed: " + e.getMessage(), e);
    }
  }

  /** Refuses, from its first bytes, a file that can be no part of a data set. */
  private static void checkType(FileType type, String fileName, boolean raw) {
    if (raw && type != FileType.ZIP) {
      throw notAZipBody();
    }
    if (cannotBePartOfADataset(type)) {
      throw neitherZipNorIdx(UploadWorkspace.safeFileName(fileName));
    }
  }

  private static boolean cannotBePartOfADataset(FileType type) {
    return type == FileType.OTHER || type == FileType.HDF5 || type == FileType.ONNX;
  }

  private static ApiException notAZipBody() {
    return UploadProblems.unsupportedType(
        "a data set sent as the request body must be a zip archive; send IDX files as multipart"
            + " parts named 'file'");
  }

  private static ApiException neitherZipNorIdx(String fileName) {
    return UploadProblems.unsupportedType(
        fileName
            + " is neither a zip archive nor an IDX file (plain or gzipped); send "
            + ACCEPTED_PARTS);
  }

  /** The one zip to store: the zip sent, or the IDX files sent zipped together. */
  private static ReceivedFile asZip(
      List<ReceivedFile> received, boolean raw, UploadWorkspace workspace) throws IOException {
    if (received.size() == 1 && received.get(0).type() == FileType.ZIP) {
      return received.get(0);
    }
    if (raw) {
      throw notAZipBody();
    }
    for (ReceivedFile file : received) {
      if (file.type() == FileType.ZIP) {
        throw UploadProblems.unsupportedType(
            file.fileName() + " is a zip archive among other files; send one zip, or IDX files");
      }
      if (cannotBePartOfADataset(file.type())) {
        throw neitherZipNorIdx(file.fileName());
      }
    }
    return IdxBundle.bundle(received, workspace, "idx-files.zip");
  }
}
