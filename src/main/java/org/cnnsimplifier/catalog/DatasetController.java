package org.cnnsimplifier.catalog;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.cnnsimplifier.catalog.upload.IncomingFile;
import org.cnnsimplifier.catalog.upload.UploadProblems;
import org.cnnsimplifier.system.Owner;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** Uploading, listing and deleting image data sets. */
@RestController
@RequestMapping("/api/v1/datasets")
@Tag(
    name = "Data sets",
    description = "Labelled images to score and retrain on: class folders or IDX (MNIST) files")
class DatasetController {
  private static final String PROBLEM = "application/problem+json";
  private static final String VALIDATION_FRACTION =
      "Share of each class's training images held out as the validation split when the data set"
          + " has no val/ split, in [0, 1). Fixed here for every job on the data set: criteria,"
          + " maxAccuracyDrop and ABLATION select on validation";
  private static final String TEST_FRACTION =
      "Share of each class's training images held out as the test split ('held-out' in reports)"
          + " when the data set has no test split, in [0, 1); validationFraction + testFraction"
          + " must be below 1. Jobs never train or select on it; their headline accuracy comes from"
          + " it. 0 holds nothing out (reports then quote validation, marked as used for selection)";
  private static final String SEED =
      "Seeds the validation split and the held-out test slice; stratified per class";

  private final DatasetUploads uploads;
  private final Catalog catalog;

  DatasetController(DatasetUploads uploads, Catalog catalog) {
    this.uploads = uploads;
    this.catalog = catalog;
  }

  @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  @Operation(
      summary = "Upload a data set (multipart)",
      description =
          "Either one part 'file' holding a zip (one folder of PNG/JPEG images per class,"
              + " optionally inside train/, val/ and test/ folders; or IDX files), or several"
              + " parts 'file' that are IDX files, gzipped or not (train-images-idx3-ubyte.gz,"
              + " train-labels-idx1-ubyte.gz, t10k-…), which are stored zipped together. Without"
              + " a test split, a seeded, stratified share of train (testFraction) is held out as"
              + " the test split; without a validation split, another share (validationFraction)"
              + " becomes validation. These splits are fixed at upload: every job on the data set"
              + " uses them.")
  @ApiResponse(
      responseCode = "201",
      description = "Stored; Location names the data set",
      content = @Content(examples = @ExampleObject(ApiExamples.DATASET)))
  @ApiResponse(
      responseCode = "413",
      description = "Larger than cnn.uploads.max-bytes",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.TOO_LARGE)))
  @ApiResponse(
      responseCode = "415",
      description = "Neither a zip nor IDX files",
      content =
          @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.DATASET_WRONG_TYPE)))
  @ApiResponse(
      responseCode = "422",
      description = "Not a usable data set (layout, missing labels, one class, unsafe zip)",
      content =
          @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.DATASET_INVALID)))
  ResponseEntity<DatasetResponse> uploadMultipart(
      Owner owner,
      @RequestPart("file") List<MultipartFile> files,
      @Parameter(description = "Name to show; default: the file's name")
          @RequestParam(required = false)
          String name,
      @Parameter(description = VALIDATION_FRACTION) @RequestParam(defaultValue = "0.1")
          double validationFraction,
      @Parameter(description = TEST_FRACTION) @RequestParam(defaultValue = "0.1")
          double testFraction,
      @Parameter(description = SEED) @RequestParam(defaultValue = "0") long seed) {
    List<IncomingFile> incoming =
        files.stream()
            .map(
                file ->
                    new IncomingFile(
                        file.getOriginalFilename(), file.getContentType(), file, file.getSize()))
            .toList();
    return created(
        uploads.upload(owner, incoming, false, name, validationFraction, testFraction, seed));
  }

  @PostMapping
  @Operation(
      summary = "Upload a data set (raw zip body)",
      description =
          "The body is a zip (application/zip or application/octet-stream) laid out as for the"
              + " multipart upload. Its name comes from ?name= or the Content-Disposition filename.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content = {
                @Content(
                    mediaType = "application/zip",
                    schema = @Schema(type = "string", format = "binary")),
                @Content(
                    mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary"))
              }))
  @ApiResponse(
      responseCode = "201",
      description = "Stored; Location names the data set",
      content = @Content(examples = @ExampleObject(ApiExamples.DATASET)))
  @ApiResponse(
      responseCode = "413",
      description = "Larger than cnn.uploads.max-bytes",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.TOO_LARGE)))
  @ApiResponse(
      responseCode = "415",
      description = "Not a zip",
      content =
          @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.DATASET_WRONG_TYPE)))
  @ApiResponse(
      responseCode = "422",
      description = "Not a usable data set",
      content =
          @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.DATASET_INVALID)))
  ResponseEntity<DatasetResponse> uploadRaw(
      Owner owner,
      HttpServletRequest request,
      @Parameter(description = "Name to show; default: the Content-Disposition filename")
          @RequestParam(required = false)
          String name,
      @Parameter(description = VALIDATION_FRACTION) @RequestParam(defaultValue = "0.1")
          double validationFraction,
      @Parameter(description = TEST_FRACTION) @RequestParam(defaultValue = "0.1")
          double testFraction,
      @Parameter(description = SEED) @RequestParam(defaultValue = "0") long seed,
      @Parameter(hidden = true)
          @RequestHeader(value = HttpHeaders.CONTENT_DISPOSITION, required = false)
          String disposition) {
    if (request.getContentType() == null) {
      throw UploadProblems.unsupportedType(
          "the request has no Content-Type; send " + DatasetUploads.ACCEPTED_RAW);
    }
    IncomingFile incoming =
        new IncomingFile(
            UploadNames.fromContentDisposition(disposition),
            request.getContentType(),
            request::getInputStream,
            request.getContentLengthLong());
    return created(
        uploads.upload(
            owner, List.of(incoming), true, name, validationFraction, testFraction, seed));
  }

  @GetMapping
  @Operation(summary = "List your data sets, newest first")
  @ApiResponse(
      responseCode = "200",
      content = @Content(examples = @ExampleObject(ApiExamples.DATASET_PAGE)))
  @ApiResponse(
      responseCode = "400",
      description = "page below 0 or size outside 1..100",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.BAD_PAGE)))
  PageResponse<DatasetResponse> list(
      Owner owner,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    return catalog.datasets(owner, Paging.of(page, size)).map(DatasetResponse::of);
  }

  @GetMapping("/{id}")
  @Operation(summary = "One of your data sets with its classes and counts")
  @ApiResponse(
      responseCode = "200",
      content = @Content(examples = @ExampleObject(ApiExamples.DATASET)))
  @ApiResponse(
      responseCode = "404",
      description = "No such data set of yours",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.NOT_FOUND)))
  DatasetResponse get(Owner owner, @PathVariable UUID id) {
    return DatasetResponse.of(catalog.dataset(owner, id));
  }

  @DeleteMapping("/{id}")
  @Operation(summary = "Delete one of your data sets and its file")
  @ApiResponse(responseCode = "204", description = "Deleted")
  @ApiResponse(
      responseCode = "404",
      description = "No such data set of yours",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.NOT_FOUND)))
  @ApiResponse(
      responseCode = "409",
      description = "A job that has not finished uses the data set",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.IN_USE)))
  ResponseEntity<Void> delete(Owner owner, @PathVariable UUID id) {
    catalog.deleteDataset(owner, id);
    return ResponseEntity.noContent().build();
  }

  private static ResponseEntity<DatasetResponse> created(StoredDataset dataset) {
    URI location =
        ServletUriComponentsBuilder.fromCurrentRequestUri()
            .path("/{id}")
            .buildAndExpand(dataset.id())
            .toUri();
    return ResponseEntity.created(location).body(DatasetResponse.of(dataset));
  }
}
