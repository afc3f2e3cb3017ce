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
import java.util.Map;
import java.util.UUID;
import org.cnnsimplifier.catalog.upload.IncomingFile;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.system.ApiException;
import org.cnnsimplifier.system.Owner;
import org.springframework.core.io.InputStreamResource;
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
@Tag(
    name = "Models",
    description = "Trained CNNs to simplify: DL4J zips, Keras HDF5 files and ONNX models")
class ModelController {
  private static final String PROBLEM = "application/problem+json";

  static final String SCALE =
      "Input preprocessing: multiplies the 0-255 pixel value, a number or a fraction (default 1/255;"
          + " 1 for Keras' caffe-mode preprocess_input). Default: what the file records, else 1/255";
  static final String MEAN =
      "Input preprocessing: subtracted after scaling, one value or one per channel,"
          + " comma-separated (e.g. 0.485,0.456,0.406; default 0)";
  static final String STD =
      "Input preprocessing: divides after the mean, one value or one per channel,"
          + " comma-separated (e.g. 0.229,0.224,0.225; default 1)";
  static final String ORDER =
      "Input preprocessing: the model's channel order, RGB (default) or BGR";

  private final ModelUploads uploads;
  private final Catalog catalog;
  private final ModelDownloads downloads;

  ModelController(ModelUploads uploads, Catalog catalog, ModelDownloads downloads) {
    this.uploads = uploads;
    this.catalog = catalog;
    this.downloads = downloads;
  }

  @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
  @Operation(
      summary = "Upload a model (multipart)",
      description =
          "Part 'file': a Deeplearning4j model zip (MultiLayerNetwork or ComputationGraph), a"
              + " Keras HDF5 file or an ONNX model (opset 11-17, as torch.onnx.export writes it)."
              + " The engine reads it (Keras channels-last layers are converted to NCHW) and"
              + " answers its architecture: layers, shapes, parameters, FLOPs, which layers can"
              + " be pruned, the formats it can be downloaded in, and its input preprocessing.")
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
      description = "Neither a zip, an HDF5 file nor an ONNX model",
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
          String inputShape,
      @Parameter(description = SCALE) @RequestParam(required = false) String scale,
      @Parameter(description = MEAN) @RequestParam(required = false) String mean,
      @Parameter(description = STD) @RequestParam(required = false) String std,
      @Parameter(description = ORDER) @RequestParam(required = false) String channelOrder) {
    PreprocessingRequest preprocessing = PreprocessingRequest.parse(scale, mean, std, channelOrder);
    IncomingFile incoming =
        new IncomingFile(file.getOriginalFilename(), file.getContentType(), file, file.getSize());
    return created(
        uploads.upload(owner, incoming, name, parseInputShape(inputShape), preprocessing));
  }

  @PostMapping
  @Operation(
      summary = "Upload a model (raw body)",
      description =
          "The body is the model file: application/zip (DL4J), application/x-hdf5 (Keras),"
              + " application/octet-stream (any; ONNX) or application/onnx. Its name comes from"
              + " ?name= or the Content-Disposition filename.",
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
      @Parameter(description = SCALE) @RequestParam(required = false) String scale,
      @Parameter(description = MEAN) @RequestParam(required = false) String mean,
      @Parameter(description = STD) @RequestParam(required = false) String std,
      @Parameter(description = ORDER) @RequestParam(required = false) String channelOrder,
      @Parameter(hidden = true)
          @RequestHeader(value = HttpHeaders.CONTENT_DISPOSITION, required = false)
          String disposition) {
    PreprocessingRequest preprocessing = PreprocessingRequest.parse(scale, mean, std, channelOrder);
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
    return created(
        uploads.upload(owner, incoming, name, parseInputShape(inputShape), preprocessing));
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
  @Operation(
      summary = "Download the model file",
      description =
          "Without format: the file as uploaded. With format=dl4j, keras or onnx: the model written"
              + " in that format, with its current preprocessing (ONNX metadata_props). The"
              + " model's exportFormats say which formats it can be written in.")
  @ApiResponse(
      responseCode = "200",
      description =
          "The file: application/zip (DL4J), application/x-hdf5 (Keras) or"
              + " application/octet-stream (ONNX)",
      content = {
        @Content(
            mediaType = "application/zip",
            schema = @Schema(type = "string", format = "binary")),
        @Content(
            mediaType = "application/x-hdf5",
            schema = @Schema(type = "string", format = "binary")),
        @Content(
            mediaType = "application/octet-stream",
            schema = @Schema(type = "string", format = "binary"))
      })
  @ApiResponse(
      responseCode = "400",
      description = "Unknown format",
      content = @Content(mediaType = PROBLEM))
  @ApiResponse(
      responseCode = "404",
      description = "No such model of yours",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.NOT_FOUND)))
  @ApiResponse(
      responseCode = "422",
      description = "The model has a layer the format has no counterpart for (named)",
      content = @Content(mediaType = PROBLEM))
  ResponseEntity<InputStreamResource> content(
      Owner owner,
      @PathVariable UUID id,
      @Parameter(description = "dl4j, keras or onnx; default: the file as uploaded")
          @RequestParam(required = false)
          String format)
      throws IOException {
    StoredModel model = catalog.model(owner, id);
    ModelFormat requested = ModelDownloads.format(format);
    if (requested == null) {
      return ModelDownloads.response(
          catalog.openModelFile(model),
          model.sizeBytes(),
          model.format(),
          ModelDownloads.fileName(model.name(), model.format()),
          "\"" + model.sha256() + "\"");
    }
    CnnModel loaded = catalog.loadModel(model);
    try {
      return downloads.exported(loaded, requested, baseName(model.name()));
    } finally {
      loaded.dl4j().close();
    }
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

  /** The upload's name without its model file extension. */
  private static String baseName(String name) {
    return name.replaceFirst("(?i)\\.(zip|h5|hdf5|onnx)$", "");
  }
}
