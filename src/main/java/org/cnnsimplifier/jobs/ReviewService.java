package org.cnnsimplifier.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.cnnsimplifier.jobs.queue.Job;
import org.cnnsimplifier.jobs.queue.JobQueue;
import org.cnnsimplifier.jobs.queue.JobState;
import org.cnnsimplifier.storage.BlobStore;
import org.cnnsimplifier.system.ApiException;
import org.cnnsimplifier.system.Owner;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/** The review of a job waiting for a person's choice of kernels, and applying that choice. */
@Service
public class ReviewService {
  private static final long MAX_ENTRY = 32L * 1024 * 1024;

  private final JobQueue queue;
  private final ReviewStore reviews;
  private final BlobStore blobs;
  private final ObjectMapper json;

  ReviewService(JobQueue queue, ReviewStore reviews, BlobStore blobs, ObjectMapper json) {
    this.queue = queue;
    this.reviews = reviews;
    this.blobs = blobs;
    this.json = json;
  }

  /** The waiting layer's kernels with scores, sheet URLs and the suggestion. */
  public JsonNode review(Owner owner, UUID id) {
    ReviewStore.Review review = waiting(owner, id);
    ObjectNode document = (ObjectNode) json.readTree(entry(review, "review.json"));
    String base = "/api/v1/jobs/" + id + "/review";
    document.put("jobId", id.toString());
    document.put("inputsUrl", base + "/inputs.png");
    int members = document.path("members").size();
    for (JsonNode kernel : document.get("kernels")) {
      int index = kernel.get("index").asInt();
      ObjectNode node = (ObjectNode) kernel;
      node.put("sheetUrl", base + "/kernels/" + index + ".png");
      // The same kernel's maps in each member of a coupled group, first member first.
      var urls = node.putArray("memberSheetUrls");
      urls.add(base + "/kernels/" + index + ".png");
      for (int m = 1; m < members; m++) {
        urls.add(base + "/members/" + m + "/kernels/" + index + ".png");
      }
    }
    return document;
  }

  /**
   * One PNG of the review: {@code inputs.png}, {@code kernels/<k>.png} or {@code
   * members/<m>/<k>.png}.
   */
  public byte[] image(Owner owner, UUID id, String name) {
    return entry(waiting(owner, id), name);
  }

  /**
   * Applies a person's choice to the waiting layer and queues the job again.
   *
   * @throws ApiException 400 when an index is not a kernel of the layer, is repeated, or no kernel
   *     would remain; 409 when the job is not waiting
   */
  public Job choose(Owner owner, UUID id, List<Integer> kernels, String decidedBy) {
    ReviewStore.Review review = waiting(owner, id);
    JsonNode document = json.readTree(entry(review, "review.json"));
    Set<Integer> present = new HashSet<>();
    document.get("kernels").forEach(k -> present.add(k.get("index").asInt()));
    if (kernels == null) {
      throw ApiException.badRequest("kernels is required: the kernel indices to remove");
    }
    List<String> problems = new ArrayList<>();
    Set<Integer> seen = new HashSet<>();
    for (Integer k : kernels) {
      if (k == null || !present.contains(k)) {
        problems.add(k + " is not a kernel of layer '" + review.layer() + "'");
      } else if (!seen.add(k)) {
        problems.add(k + " is given twice");
      }
    }
    if (problems.isEmpty() && seen.size() >= present.size()) {
      problems.add("all " + present.size() + " kernels chosen; at least one must stay");
    }
    if (!problems.isEmpty()) {
      throw ApiException.badRequest(
          "the choice does not fit layer '" + review.layer() + "'",
          java.util.Map.of("kernels", String.join("; ", problems)));
    }
    Job job = queue.find(owner.name(), id).orElseThrow();
    JobSpec spec =
        json.readValue(job.spec(), JobSpec.class)
            .withSelection(review.layer(), new JobSpec.Selection(kernels, decidedBy));
    if (!queue.resumeAfterSelection(id, owner.name(), json.writeValueAsString(spec))) {
      throw ApiException.conflict("job " + id + " is no longer waiting for a choice");
    }
    return queue.find(owner.name(), id).orElseThrow();
  }

  /** The suggestion of the waiting layer, as stored in its review. */
  List<Integer> suggestion(ReviewStore.Review review) {
    List<Integer> result = new ArrayList<>();
    json.readTree(entry(review, "review.json"))
        .get("suggestion")
        .get("kernels")
        .forEach(k -> result.add(k.asInt()));
    return result;
  }

  private ReviewStore.Review waiting(Owner owner, UUID id) {
    Job job = queue.find(owner.name(), id).orElseThrow(() -> ApiException.notFound("job", id));
    Optional<ReviewStore.Review> review = reviews.find(id);
    if (job.state() != JobState.AWAITING_SELECTION || review.isEmpty()) {
      throw ApiException.conflict(
          "job " + id + " is " + job.state() + "; it is not waiting for a choice of kernels");
    }
    return review.get();
  }

  private byte[] entry(ReviewStore.Review review, String name) {
    try (InputStream in = blobs.open(review.blobKey());
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        if (entry.getName().equals(name)) {
          byte[] bytes = zip.readNBytes((int) MAX_ENTRY);
          return bytes;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the review of job " + review.jobId(), e);
    }
    throw ApiException.notFound("review image", name);
  }
}
