package org.cnnsimplifier.workers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.cnnsimplifier.engine.KernelReview;
import org.cnnsimplifier.engine.criteria.Criterion;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.retrain.TrainingData;
import org.cnnsimplifier.engine.review.ContactSheets;
import org.cnnsimplifier.engine.review.KernelGallery;
import org.cnnsimplifier.engine.surgery.ChannelGraph;
import org.cnnsimplifier.engine.surgery.KernelSurgery;
import org.cnnsimplifier.engine.surgery.PruningGroup;
import tools.jackson.databind.ObjectMapper;

/**
 * The review of one layer's group as a zip: {@code review.json} (kernels with scores, the
 * suggestion, what each kernel costs, the group's members), {@code inputs.png}, {@code
 * kernels/<k>.png} per kernel (original index) with the first member's maps, and {@code
 * members/<m>/<k>.png} with the maps of member m (1, 2, … of a coupled group). Read by the review
 * API while the job waits.
 */
final class ReviewMaterial {
  static final String JSON = "review.json";
  static final String INPUTS = "inputs.png";

  private ReviewMaterial() {}

  static byte[] zip(
      KernelReview.Request request,
      TrainingData data,
      List<String> classes,
      int perClass,
      long seed,
      String suggestedBy,
      ObjectMapper json) {
    CnnModel model = request.model();
    KernelGallery gallery = KernelGallery.of(model, request.layer(), data, perClass, seed);
    ArchitectureSummary now = ArchitectureSummary.of(model);
    // Removing kernels of one layer saves the same for each kernel: measure one.
    ArchitectureSummary less =
        request.remaining().size() > 1
            ? ArchitectureSummary.of(KernelSurgery.remove(model, request.layer(), new int[] {0}))
            : now;
    List<Map<String, Object>> kernels = new ArrayList<>();
    for (int position = 0; position < request.remaining().size(); position++) {
      int original = request.remaining().get(position);
      Map<String, Object> scores = new LinkedHashMap<>();
      for (Map.Entry<Criterion, double[]> entry : gallery.scores().entrySet()) {
        scores.put(entry.getKey().name(), entry.getValue()[position]);
      }
      Map<String, Object> kernel = new LinkedHashMap<>();
      kernel.put("index", original);
      kernel.put("position", position);
      kernel.put("scores", scores);
      kernel.put("suggested", request.suggestion().contains(original));
      kernels.add(kernel);
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("layer", request.layer());
    document.put("layerIndex", request.layerIndex());
    document.put("layers", request.layers());
    document.put("activationPoint", gallery.activationPoint());
    // A coupled group's kernels are reviewed once; every member's maps can be looked at.
    PruningGroup group = ChannelGraph.of(model).prunable(request.layer());
    List<KernelGallery> others = new ArrayList<>();
    List<Map<String, Object>> members = new ArrayList<>();
    for (int m = 0; m < group.members().size(); m++) {
      KernelGallery maps =
          m == 0
              ? gallery
              : KernelGallery.of(model, group, group.members().get(m), data, perClass, seed);
      if (m > 0) {
        others.add(maps);
      }
      members.add(Map.of("name", maps.layer(), "activationPoint", maps.activationPoint()));
    }
    document.put("group", group.name());
    document.put("members", members);
    document.put("colorMap", ContactSheets.COLOR_MAP);
    document.put(
        "colorScale", "per kernel, from min(0, smallest value) to the largest value of its row");
    document.put(
        "samples",
        gallery.samples().stream()
            .map(s -> Map.of("label", s.label(), "class", classes.get(s.label())))
            .toList());
    document.put("kernels", kernels);
    document.put("suggestion", Map.of("kernels", request.suggestion(), "by", suggestedBy));
    document.put(
        "perKernel",
        Map.of(
            "params", now.totalParams() - less.totalParams(),
            "flops", now.totalFlops() - less.totalFlops()));
    document.put("model", Map.of("params", now.totalParams(), "flops", now.totalFlops()));

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      entry(zip, JSON, json.writeValueAsBytes(document));
      entry(zip, INPUTS, ContactSheets.inputs(gallery));
      for (int position = 0; position < request.remaining().size(); position++) {
        entry(
            zip,
            "kernels/" + request.remaining().get(position) + ".png",
            ContactSheets.kernel(gallery, position));
        for (int m = 0; m < others.size(); m++) {
          entry(
              zip,
              memberSheet(m + 1, request.remaining().get(position)),
              ContactSheets.kernel(others.get(m), position));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The zip entry of member {@code m}'s (m ≥ 1) maps of a kernel (original index). */
  static String memberSheet(int m, int kernel) {
    return "members/" + m + "/" + kernel + ".png";
  }

  private static void entry(ZipOutputStream zip, String name, byte[] content) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(content);
    zip.closeEntry();
  }
}
