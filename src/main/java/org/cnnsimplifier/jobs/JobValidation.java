package org.cnnsimplifier.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.cnnsimplifier.catalog.StoredDataset;
import org.cnnsimplifier.catalog.StoredModel;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.GroupSummary;
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
    ArchitectureSummary architecture = model.architecture();
    List<LayerSummary> layers = architecture.layers();
    Map<String, LayerSummary> byName =
        layers.stream().collect(Collectors.toMap(LayerSummary::name, l -> l, (a, b) -> a));
    // A job names layers; kernels go by group, which a group's name or any member stands for.
    List<String> chosen = new ArrayList<>();
    if (spec.layers().isEmpty()) {
      chosen.addAll(defaults(architecture));
      if (chosen.isEmpty()) {
        errors.put("modelId", "the model has no convolution layer that can be simplified");
      }
    }
    for (int i = 0; i < spec.layers().size(); i++) {
      String name = spec.layers().get(i);
      LayerSummary layer = byName.get(name);
      Optional<GroupSummary> group = architecture.group(name);
      String field = "layers[" + i + "]";
      if (layer == null && group.isEmpty()) {
        errors.put(
            field, "no layer '" + name + "'; prunable layers: " + architecture.prunableLayers());
      } else if (group.isPresent() && !group.get().prunable()) {
        errors.put(
            field, "layer '" + name + "' cannot be simplified: " + group.get().notPrunableReason());
      } else if (group.isEmpty() && !layer.prunable()) {
        errors.put(
            field, "layer '" + name + "' cannot be simplified: " + layer.notPrunableReason());
      } else {
        String resolved = group.map(GroupSummary::name).orElse(name);
        if (chosen.contains(resolved)) {
          errors.put(
              field,
              spec.layers().indexOf(name) != i
                  ? "layer '" + name + "' is listed twice"
                  : "layer '"
                      + name
                      + "' is in group '"
                      + resolved
                      + "', which is already listed; its kernels are removed together");
        } else {
          chosen.add(resolved);
        }
      }
    }
    Set<String> chosenSet = Set.copyOf(chosen);
    if (plan.policy() instanceof EliminationPolicy.Ratio ratio) {
      ratio.perLayer().keySet().stream()
          .filter(name -> !chosenSet.contains(resolve(architecture, name)))
          .forEach(
              name ->
                  errors.put(
                      "policy.perLayer." + name,
                      "layer '" + name + "' is not simplified by this job"));
    }
    if (plan.policy() instanceof EliminationPolicy.Manual manual) {
      manual
          .kernels()
          .forEach((name, kernels) -> checkManual(name, kernels, chosenSet, architecture, errors));
    }
    checkData(spec, model, dataset, layers, errors);
    return errors;
  }

  /** The group a layer name stands for (itself when the summary has no groups). */
  private static String resolve(ArchitectureSummary architecture, String name) {
    return architecture.group(name).map(GroupSummary::name).orElse(name);
  }

  /** What the engine simplifies when a job names no layers. */
  private static List<String> defaults(ArchitectureSummary architecture) {
    // Models stored before groups were summarised have none: their prunable layers then.
    return architecture.groups().isEmpty()
        ? architecture.prunableLayers()
        : architecture.defaultGroups();
  }

  private static void checkManual(
      String name,
      List<Integer> kernels,
      Set<String> chosen,
      ArchitectureSummary architecture,
      Map<String, String> errors) {
    String field = "policy.kernels." + name;
    String group = resolve(architecture, name);
    if (!chosen.contains(group)) {
      errors.put(field, "layer '" + name + "' is not simplified by this job");
      return;
    }
    int count =
        architecture
            .group(name)
            .map(GroupSummary::channels)
            .orElseGet(
                () ->
                    architecture
                        .layer(name)
                        .map(l -> l.kernels() == null ? 0 : l.kernels())
                        .orElse(0));
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
    if (spec.validationFraction() != null
        && Math.abs(spec.validationFraction() - dataset.validationFraction()) > 1e-9) {
      errors.put(
          "validationFraction",
          "the validation split is set at data-set upload, not by a job: data set "
              + dataset.id()
              + " holds out validationFraction "
              + dataset.validationFraction()
              + " (seed "
              + dataset.seed()
              + "); leave validationFraction out, or upload the data set again with"
              + " ?validationFraction="
              + spec.validationFraction());
    }
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
