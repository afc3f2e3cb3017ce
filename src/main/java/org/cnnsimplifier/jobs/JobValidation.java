package org.cnnsimplifier.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.cnnsimplifier.catalog.StoredDataset;
import org.cnnsimplifier.catalog.StoredModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.LayerSummary;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.SimplificationPlan;

/**
 * Checks a job against its model and data set before it is queued, so mistakes surface as a 400
 * naming the field rather than as a failed job minutes later.
 */
final class JobValidation {
  private JobValidation() {}

  /** Field name to message; empty when the job fits. */
  static Map<String, String> errors(
      JobSpec spec, SimplificationPlan plan, StoredModel model, StoredDataset dataset) {
    Map<String, String> errors = new LinkedHashMap<>();
    List<LayerSummary> layers = model.architecture().layers();
    Map<String, LayerSummary> byName =
        layers.stream().collect(Collectors.toMap(LayerSummary::name, l -> l, (a, b) -> a));
    List<String> chosen =
        spec.layers().isEmpty() ? model.architecture().prunableLayers() : spec.layers();
    if (chosen.isEmpty()) {
      errors.put("modelId", "the model has no convolution layer that can be simplified");
    }
    for (int i = 0; i < spec.layers().size(); i++) {
      String name = spec.layers().get(i);
      LayerSummary layer = byName.get(name);
      if (layer == null) {
        errors.put(
            "layers[" + i + "]",
            "no layer '" + name + "'; prunable layers: " + model.architecture().prunableLayers());
      } else if (!layer.prunable()) {
        errors.put(
            "layers[" + i + "]",
            "layer '" + name + "' cannot be simplified: " + layer.notPrunableReason());
      } else if (spec.layers().indexOf(name) != i) {
        errors.put("layers[" + i + "]", "layer '" + name + "' is listed twice");
      }
    }
    Set<String> chosenSet = Set.copyOf(chosen);
    if (plan.policy() instanceof EliminationPolicy.Ratio ratio) {
      ratio.perLayer().keySet().stream()
          .filter(name -> !chosenSet.contains(name))
          .forEach(
              name ->
                  errors.put(
                      "policy.perLayer." + name,
                      "layer '" + name + "' is not simplified by this job"));
    }
    if (plan.policy() instanceof EliminationPolicy.Manual manual) {
      manual
          .kernels()
          .forEach((name, kernels) -> checkManual(name, kernels, chosenSet, byName, errors));
    }
    checkData(spec, model, dataset, layers, errors);
    return errors;
  }

  private static void checkManual(
      String name,
      List<Integer> kernels,
      Set<String> chosen,
      Map<String, LayerSummary> byName,
      Map<String, String> errors) {
    String field = "policy.kernels." + name;
    LayerSummary layer = byName.get(name);
    if (layer == null || !chosen.contains(name)) {
      errors.put(field, "layer '" + name + "' is not simplified by this job");
      return;
    }
    int count = layer.kernels() == null ? 0 : layer.kernels();
    if (kernels.stream().anyMatch(k -> k == null || k < 0 || k >= count)) {
      errors.put(field, "kernel indices must be in 0.." + (count - 1));
    } else if (Set.copyOf(kernels).size() != kernels.size()) {
      errors.put(field, "a kernel index is given twice");
    } else if (kernels.size() >= count) {
      errors.put(field, "all " + count + " kernels chosen; at least one must stay");
    }
  }

  private static void checkData(
      JobSpec spec,
      StoredModel model,
      StoredDataset dataset,
      List<LayerSummary> layers,
      Map<String, String> errors) {
    InputShape wanted = model.inputShape();
    InputShape images = dataset.imageShape();
    if (!spec.adapt() && !images.equals(wanted)) {
      errors.merge(
          "datasetId",
          "the data set's images are "
              + images
              + " but the model takes "
              + wanted
              + "; set adapt=true to resize and convert them",
          (a, b) -> a + "; " + b);
    }
    Optional<Long> outputs =
        layers.isEmpty() || layers.get(layers.size() - 1).outputShape().isEmpty()
            ? Optional.empty()
            : Optional.of(layers.get(layers.size() - 1).outputShape().get(0));
    int classes = dataset.classes().size();
    outputs
        .filter(width -> width != classes)
        .ifPresent(
            width ->
                errors.merge(
                    "datasetId",
                    "the data set has "
                        + classes
                        + " classes but the model has "
                        + width
                        + " outputs",
                    (a, b) -> a + "; " + b));
  }
}
