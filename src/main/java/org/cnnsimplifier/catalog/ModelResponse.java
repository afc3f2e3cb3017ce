package org.cnnsimplifier.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.GroupSummary;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.LayerSummary;
import org.cnnsimplifier.engine.model.ModelFormat;

/**
 * A model as the API shows it.
 *
 * @param id the model's id
 * @param name its name
 * @param format DL4J_ZIP, KERAS_H5 or ONNX
 * @param sizeBytes the file's length
 * @param sha256 the file's SHA-256, lower-case hex
 * @param createdAt when it was uploaded
 * @param inputShape one input image: channels, height, width
 * @param architecture layers, totals and the layers that can be pruned
 * @param preprocessing how its input images are preprocessed before they enter the network
 * @param exportFormats the formats it can be downloaded in ({@code ?format=}); null for models
 *     uploaded before formats were recorded
 * @param exportUnavailable for each other format, the reason (the layer it has no counterpart for)
 */
record ModelResponse(
    UUID id,
    String name,
    ModelFormat format,
    long sizeBytes,
    String sha256,
    Instant createdAt,
    InputShape inputShape,
    Architecture architecture,
    InputPreprocessing preprocessing,
    List<ModelFormat> exportFormats,
    Map<ModelFormat, String> exportUnavailable) {

  /**
   * The engine's architecture summary.
   *
   * @param layers every layer in forward order
   * @param totalParams parameters of all layers
   * @param totalFlops FLOPs per image of all layers
   * @param prunableLayers names of the layers that can lose kernels (alone or with their group)
   * @param groups the groups of layers whose kernels are removed together; a job's {@code layers}
   *     may name a group or any of its members
   * @param defaultGroups what a job simplifies when it names no layers: every prunable group with a
   *     convolution (dense units are pruned when named)
   */
  record Architecture(
      List<LayerSummary> layers,
      long totalParams,
      long totalFlops,
      List<String> prunableLayers,
      List<GroupSummary> groups,
      List<String> defaultGroups) {

    static Architecture of(ArchitectureSummary summary) {
      return new Architecture(
          summary.layers(),
          summary.totalParams(),
          summary.totalFlops(),
          summary.prunableLayers(),
          summary.groups(),
          summary.defaultGroups());
    }
  }

  static ModelResponse of(StoredModel model) {
    return new ModelResponse(
        model.id(),
        model.name(),
        model.format(),
        model.sizeBytes(),
        model.sha256(),
        model.createdAt(),
        model.inputShape(),
        Architecture.of(model.architecture()),
        model.preprocessing(),
        model.exports() == null ? null : model.exports().available(),
        model.exports() == null ? null : model.exports().unavailable());
  }
}
