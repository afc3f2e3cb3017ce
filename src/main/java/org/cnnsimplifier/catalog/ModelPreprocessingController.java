package org.cnnsimplifier.catalog;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.cnnsimplifier.system.Owner;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Changing how a model's input images are preprocessed after it was uploaded. */
@RestController
@RequestMapping("/api/v1/models")
@Tag(name = "Models")
class ModelPreprocessingController {
  private static final String PROBLEM = "application/problem+json";

  private final Catalog catalog;

  ModelPreprocessingController(Catalog catalog) {
    this.catalog = catalog;
  }

  @PutMapping("/{id}/preprocessing")
  @Operation(
      summary = "Set how the model's input images are preprocessed",
      description =
          "Replaces the preprocessing (a missing field takes its default: scale 1/255, mean 0,"
              + " std 1, RGB). Jobs created afterwards train, evaluate, score and show review"
              + " images with it; downloads in another format record it.")
  @ApiResponse(
      responseCode = "200",
      description = "The model with its new preprocessing",
      content = @Content(examples = @ExampleObject(ApiExamples.MODEL)))
  @ApiResponse(
      responseCode = "400",
      description = "Not a valid preprocessing, or one that does not fit the model's channels",
      content = @Content(mediaType = PROBLEM))
  @ApiResponse(
      responseCode = "404",
      description = "No such model of yours",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.NOT_FOUND)))
  @ApiResponse(
      responseCode = "409",
      description = "A job that has not finished uses the model",
      content = @Content(mediaType = PROBLEM, examples = @ExampleObject(ApiExamples.IN_USE)))
  ModelResponse update(
      Owner owner, @PathVariable UUID id, @RequestBody PreprocessingRequest preprocessing) {
    return ModelResponse.of(catalog.updatePreprocessing(owner, id, preprocessing));
  }
}
