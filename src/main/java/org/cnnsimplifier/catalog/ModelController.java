package org.cnnsimplifier.catalog;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.cnnsimplifier.catalog.upload.IncomingFile;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.system.ApiException;
import org.cnnsimplifier.system.Owner;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ContentDisposition;
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

/** Uploading, listing, downloading and deleting models. */
@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models", description = "Trained CNNs to simplify: DL4J zips and Keras HDF5 files")
class ModelController {
  private static final String PROBLEM = "application/problem+json";

  private final ModelUploads uploads;
  private final Catalog catalog;

  ModelController(ModelUploads uploads, Catalog catalog) {
    this.uploads = uploads;
    this.catalog = catalog;
  }

  @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  @Operation(
      summary = "Upload a model (multipart)",
      description =
          "Part 'file': a Deeplearning4j model zip (MultiLayerNetwork or ComputationGraph) or a"
              + " Keras HDF5 file. The engine reads it (Keras channels-last layers are converted"
              + " to NCHW) and answers its architecture: layers, shapes, parameters, FLOPs and"
              + " which layers can be pruned.")
  @ApiResponse(
      responseCode = "201",
      description = "Stored; Location names the model",
      content = @Content(examples = @ExampleObject(ApiExamples.MODEL)))
  @ApiResponse(
      responseCode = "413",
      description = "Larger than cnn.uploads.max-bytes",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.TOO_LARGE)))
  @ApiResponse(
      responseCode = "415",
      description = "Neither a zip nor an HDF5 file",
      content =
          @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.MODEL_WRONG_TYPE)))
  @ApiResponse(
      responseCode = "422",
      description = "Not a model the engine can simplify (damaged, no convolution, unsupported)",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.MODEL_INVALID)))
  ResponseEntity<ModelResponse> uploadMultipart(
      Owner owner,
      @RequestPart("file") MultipartFile file,
      @Parameter(description = "Name to show; default: the file's name")
          @RequestParam(required = false)
          String name,
      @Parameter(
              description =
                  "Input shape CxHxW for models whose file does not tell it, e.g. 1x28x28",
              example = "1x28x28")
          @RequestParam(required = false)
          String inputShape) {
    IncomingFile incoming =
        new IncomingFile(file.getOriginalFilename(), file.getContentType(), file, file.getSize());
    return created(uploads.upload(owner, incoming, name, parseInputShape(inputShape)));
  }

  @PostMapping
  @Operation(
      summary = "Upload a model (raw body)",
      description =
          "The body is the model file: application/zip (DL4J), application/x-hdf5 (Keras) or"
              + " application/octet-stream. Its name comes from ?name= or the Content-Disposition"
              + " filename.",
      requestBody =
          @io.swagger.v3.oas.annotations.parameters.RequestBody(
              required = true,
              content = {
                @Content(
                    mediaType = "application/zip",
                    schema = @Schema(type = "string", format = "binary")),
                @Content(
                    mediaType = "application/x-hdf5",
                    schema = @Schema(type = "string", format = "binary")),
                @Content(
                    mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary"))
              }))
  @ApiResponse(
      responseCode = "201",
      description = "Stored; Location names the model",
      content = @Content(examples = @ExampleObject(ApiExamples.MODEL)))
  @ApiResponse(
      responseCode = "413",
      description = "Larger than cnn.uploads.max-bytes",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.TOO_LARGE)))
  @ApiResponse(
      responseCode = "415",
      description = "Declared type or content is not a model type",
      content =
          @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.MODEL_WRONG_TYPE)))
  @ApiResponse(
      responseCode = "422",
      description = "Not a model the engine can simplify",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.MODEL_INVALID)))
  ResponseEntity<ModelResponse> uploadRaw(
      Owner owner,
      HttpServletRequest request,
      @Parameter(description = "Name to show; default: the Content-Disposition filename")
          @RequestParam(required = false)
          String name,
      @Parameter(
              description = "Input shape CxHxW when the file does not tell it",
              example = "1x28x28")
          @RequestParam(required = false)
          String inputShape,
      @Parameter(hidden = true)
          @RequestHeader(value = HttpHeaders.CONTENT_DISPOSITION, required = false)
          String disposition) {
    String contentType = request.getContentType();
    if (contentType == null) {
      throw org.cnnsimplifier.catalog.upload.UploadProblems.unsupportedType(
          "the request has no Content-Type; send " + ModelUploads.ACCEPTED);
    }
    IncomingFile incoming =
        new IncomingFile(
            UploadNames.fromContentDisposition(disposition),
            contentType,
            request::getInputStream,
            request.getContentLengthLong());
    return created(uploads.upload(owner, incoming, name, parseInputShape(inputShape)));
  }

  @GetMapping
  @Operation(summary = "List your models, newest first")
  @ApiResponse(
      responseCode = "200",
      content = @Content(examples = @ExampleObject(ApiExamples.MODEL_PAGE)))
  @ApiResponse(
      responseCode = "400",
      description = "page below 0 or size outside 1..100",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.BAD_PAGE)))
  PageResponse<ModelResponse> list(
      Owner owner,
      @RequestParam(defaultValue = "0") int page,
      @RequestParam(defaultValue = "20") int size) {
    return catalog.models(owner, Paging.of(page, size)).map(ModelResponse::of);
  }

  @GetMapping("/{id}")
  @Operation(summary = "One of your models with its architecture")
  @ApiResponse(
      responseCode = "200",
      content = @Content(examples = @ExampleObject(ApiExamples.MODEL)))
  @ApiResponse(
      responseCode = "404",
      description = "No such model of yours",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.NOT_FOUND)))
  ModelResponse get(Owner owner, @PathVariable UUID id) {
    return ModelResponse.of(catalog.model(owner, id));
  }

  @GetMapping("/{id}/content")
  @Operation(summary = "Download the model file as uploaded")
  @ApiResponse(
      responseCode = "200",
      description = "The file: application/zip (DL4J) or application/x-hdf5 (Keras)",
      content = {
        @Content(
            mediaType = "application/zip",
            schema = @Schema(type = "string", format = "binary")),
        @Content(
            mediaType = "application/x-hdf5",
            schema = @Schema(type = "string", format = "binary"))
      })
  @ApiResponse(
      responseCode = "404",
      description = "No such model of yours",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.NOT_FOUND)))
  ResponseEntity<InputStreamResource> content(Owner owner, @PathVariable UUID id)
      throws IOException {
    StoredModel model = catalog.model(owner, id);
    boolean zip = model.format() == ModelFormat.DL4J_ZIP;
    String fileName = fileName(model.name(), zip ? ".zip" : ".h5");
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(zip ? "application/zip" : "application/x-hdf5"))
        .contentLength(model.sizeBytes())
        .eTag("\"" + model.sha256() + "\"")
        .header(HttpHeaders.CONTENT_DISPOSITION, attachment(fileName))
        .body(new InputStreamResource(catalog.openModelFile(model)));
  }

  @DeleteMapping("/{id}")
  @Operation(summary = "Delete one of your models and its file")
  @ApiResponse(responseCode = "204", description = "Deleted")
  @ApiResponse(
      responseCode = "404",
      description = "No such model of yours",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.NOT_FOUND)))
  @ApiResponse(
      responseCode = "409",
      description = "A job that has not finished uses the model",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.IN_USE)))
  ResponseEntity<Void> delete(Owner owner, @PathVariable UUID id) {
    catalog.deleteModel(owner, id);
    return ResponseEntity.noContent().build();
  }

  private static ResponseEntity<ModelResponse> created(StoredModel model) {
    URI location =
        ServletUriComponentsBuilder.fromCurrentRequestUri()
            .path("/{id}")
            .buildAndExpand(model.id())
            .toUri();
    return ResponseEntity.created(location).body(ModelResponse.of(model));
  }

  /** "1x28x28" as channels × height × width; null when not given. */
  static InputShape parseInputShape(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String[] parts = text.trim().toLowerCase(java.util.Locale.ROOT).split("x");
    try {
      if (parts.length == 3) {
        return new InputShape(
            Integer.parseInt(parts[0].trim()),
            Integer.parseInt(parts[1].trim()),
            Integer.parseInt(parts[2].trim()));
      }
    } catch (IllegalArgumentException e) {
      // Reported below, like a wrong number of dimensions.
    }
    throw ApiException.badRequest(
        "inputShape must be CHANNELSxHEIGHTxWIDTH with positive numbers, e.g. 1x28x28",
        Map.of("inputShape", "must be like 1x28x28, got '" + text + "'"));
  }

  /** A plain filename when it is ASCII; RFC 5987 {@code filename*} as well otherwise. */
  private static String attachment(String fileName) {
    ContentDisposition.Builder builder = ContentDisposition.attachment();
    boolean ascii = StandardCharsets.US_ASCII.newEncoder().canEncode(fileName);
    return (ascii ? builder.filename(fileName) : builder.filename(fileName, StandardCharsets.UTF_8))
        .build()
        .toString();
  }

  private static String fileName(String name, String extension) {
    String lower = name.toLowerCase(java.util.Locale.ROOT);
    boolean hasOne =
        lower.endsWith(extension) || (extension.equals(".h5") && lower.endsWith(".hdf5"));
    return hasOne ? name : name + extension;
  }
}
