package org.cnnsimplifier.jobs;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.UUID;
import org.cnnsimplifier.system.Owner;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The subjective criterion: look at a waiting layer's kernels and choose which go. */
@RestController
@RequestMapping("/api/v1/jobs/{id}/review")
@Tag(name = "Review", description = "Choose kernels from their activation maps")
class ReviewController {
  private final ReviewService reviews;
  private final ObjectMapper json;

  ReviewController(ReviewService reviews, ObjectMapper json) {
    this.reviews = reviews;
    this.json = json;
  }

  @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "The layer waiting for a choice",
      description =
          "Its kernels (original indices) with their L1, L2, APoZ and mean-activation scores and"
              + " the URL of each kernel's activation-map sheet; the sample images' sheet; the"
              + " suggestion of the job's criterion and policy; the parameters and FLOPs each"
              + " removed kernel saves. 409 unless the job is AWAITING_SELECTION.")
  JsonNode review(Owner owner, @PathVariable UUID id) {
    return reviews.review(owner, id);
  }

  @GetMapping(value = "/inputs.png", produces = MediaType.IMAGE_PNG_VALUE)
  @Operation(summary = "The sample images, one cell each, in the order of every kernel sheet")
  ResponseEntity<byte[]> inputs(Owner owner, @PathVariable UUID id) {
    return png(reviews.image(owner, id, "inputs.png"));
  }

  @GetMapping(value = "/kernels/{kernel}.png", produces = MediaType.IMAGE_PNG_VALUE)
  @Operation(summary = "One kernel's activation maps on the sample images (viridis, one scale)")
  ResponseEntity<byte[]> kernel(Owner owner, @PathVariable UUID id, @PathVariable int kernel) {
    return png(reviews.image(owner, id, "kernels/" + kernel + ".png"));
  }

  @GetMapping(
      value = "/members/{member}/kernels/{kernel}.png",
      produces = MediaType.IMAGE_PNG_VALUE)
  @Operation(
      summary = "The same kernel's maps in another member of a coupled group",
      description =
          "For a group of layers whose kernels go together (a residual add): member 1, 2, … in"
              + " the order of the review's members (member 0 is /kernels/{kernel}.png).")
  ResponseEntity<byte[]> memberKernel(
      Owner owner, @PathVariable UUID id, @PathVariable int member, @PathVariable int kernel) {
    return png(reviews.image(owner, id, "members/" + member + "/" + kernel + ".png"));
  }

  /** The kernels to remove from the waiting layer. */
  record Choice(
      @Schema(description = "Original indices of the kernels to remove", example = "[1, 4]")
          List<Integer> kernels) {}

  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  @Operation(
      summary = "Remove these kernels and go on",
      description =
          "Validated against the waiting layer (existing, distinct, at least one kept: else"
              + " 400); the job is queued again and continues from that layer.")
  ResponseEntity<JobView> choose(Owner owner, @PathVariable UUID id, @RequestBody Choice choice) {
    var job = reviews.choose(owner, id, choice.kernels(), "person (" + owner.name() + ")");
    return ResponseEntity.accepted().body(JobView.of(job, json));
  }

  private static ResponseEntity<byte[]> png(byte[] bytes) {
    return ResponseEntity.ok()
        .contentType(MediaType.IMAGE_PNG)
        .cacheControl(CacheControl.noCache())
        .body(bytes);
  }
}
