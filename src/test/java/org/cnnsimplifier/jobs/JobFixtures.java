package org.cnnsimplifier.jobs;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.cnnsimplifier.catalog.StoredDataset;
import org.cnnsimplifier.catalog.StoredModel;
import org.cnnsimplifier.engine.data.DatasetSummary;
import org.cnnsimplifier.engine.data.SourceKind;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.LayerSummary;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.jobs.queue.Job;
import org.cnnsimplifier.jobs.queue.JobState;
import org.cnnsimplifier.system.Owner;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hand-built catalog entries and job rows for the jobs tests. The model mirrors {@code
 * LearnableFixtures}: conv1 (6 kernels) - pool1 - conv2 (5) - dense - out (3 classes) on 1×12×12,
 * plus a depthwise convolution that cannot be pruned.
 */
final class JobFixtures {
  static final Owner ALICE = new Owner("alice");
  static final Owner BOB = new Owner("bob");
  static final InputShape GRAY_12 = new InputShape(1, 12, 12);
  static final Instant CREATED = Instant.parse("2025-02-01T08:00:00Z");
  static final String DEPTHWISE_REASON =
      "DepthwiseConvolution2D layers are not pruned; only 2D convolutions are";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private JobFixtures() {}

  static StoredModel model(UUID id) {
    List<LayerSummary> layers =
        List.of(
            conv("conv1", List.of(1L, 12L, 12L), List.of(6L, 10L, 10L), 60, 6),
            new LayerSummary(
                "pool1",
                "Subsampling",
                List.of(6L, 10L, 10L),
                List.of(6L, 5L, 5L),
                0,
                0,
                null,
                false,
                "only convolution layers have kernels to eliminate"),
            conv("conv2", List.of(6L, 5L, 5L), List.of(5L, 4L, 4L), 125, 5),
            new LayerSummary(
                "dw",
                "DepthwiseConvolution2D",
                List.of(5L, 4L, 4L),
                List.of(5L, 4L, 4L),
                50,
                1440,
                5,
                false,
                DEPTHWISE_REASON),
            dense("dense", 80, 8),
            dense("out", 8, 3));
    return new StoredModel(
        id,
        ALICE,
        "tiny.zip",
        ModelFormat.DL4J_ZIP,
        12_345,
        "0".repeat(64),
        "model-blob",
        GRAY_12,
        new ArchitectureSummary(layers, 1000, 20_000),
        CREATED);
  }

  /** A model whose only layers are dense ones: nothing to simplify. */
  static StoredModel denseOnlyModel(UUID id) {
    StoredModel model = model(id);
    return new StoredModel(
        id,
        ALICE,
        "mlp.zip",
        ModelFormat.DL4J_ZIP,
        1,
        model.sha256(),
        "mlp-blob",
        GRAY_12,
        new ArchitectureSummary(List.of(dense("dense", 144, 8), dense("out", 8, 3)), 1, 1),
        CREATED);
  }

  static StoredDataset dataset(UUID id, InputShape shape, String... classes) {
    Map<String, Integer> perClass = new java.util.LinkedHashMap<>();
    for (String name : classes) {
      perClass.put(name, 10);
    }
    return new StoredDataset(
        id,
        ALICE,
        "shapes.zip",
        SourceKind.IMAGE_FOLDERS_ZIP,
        999,
        "1".repeat(64),
        "dataset-blob",
        new DatasetSummary(
            List.of(classes),
            Map.of(DatasetSummary.TRAIN, perClass, DatasetSummary.VALIDATION, perClass),
            shape,
            SourceKind.IMAGE_FOLDERS_ZIP),
        0.1,
        0.1,
        42,
        CREATED);
  }

  /** Three gray 12×12 classes: fits {@link #model}. */
  static StoredDataset fittingDataset(UUID id) {
    return dataset(id, GRAY_12, "a", "b", "c");
  }

  /** An L1, PROGRESSIVE job with the spec's defaults otherwise. */
  static JobSpec spec(UUID model, UUID dataset, List<String> layers, JobSpec.PolicySpec policy) {
    return spec(fields(model, dataset, layers, policy));
  }

  /** The request fields of {@link #spec(UUID, UUID, List, JobSpec.PolicySpec)}, to vary. */
  static Map<String, Object> fields(
      UUID model, UUID dataset, List<String> layers, JobSpec.PolicySpec policy) {
    Map<String, Object> fields = new java.util.LinkedHashMap<>();
    fields.put("modelId", model);
    fields.put("datasetId", dataset);
    fields.put("layers", layers);
    fields.put("criterion", "L1");
    fields.put("strategy", "PROGRESSIVE");
    fields.put("policy", policy);
    return fields;
  }

  /** A spec as a client's JSON would give it, so fields added later keep their defaults. */
  static JobSpec spec(Map<String, Object> fields) {
    return JSON.convertValue(fields, JobSpec.class);
  }

  static JobSpec.PolicySpec ratio(double ratio) {
    return new JobSpec.PolicySpec("ratio", ratio, null, null, null, null);
  }

  static JobSpec.PolicySpec ratio(double ratio, Map<String, Double> perLayer) {
    return new JobSpec.PolicySpec("ratio", ratio, perLayer, null, null, null);
  }

  static JobSpec.PolicySpec manual(Map<String, List<Integer>> kernels) {
    return new JobSpec.PolicySpec("manual", null, null, null, null, kernels);
  }

  /** A job row as the queue would read it. */
  static Job job(UUID id, JobState state, String progress, String resultBlob, String report) {
    boolean finished = state.isTerminal();
    return new Job(
        id,
        ALICE.name(),
        state,
        0,
        state == JobState.QUEUED ? 0 : 1,
        3,
        CREATED,
        UUID.fromString("7b0c7a1e-2c2b-4a55-9d52-0b0e6f7d9a10"),
        UUID.fromString("0f6c2a64-3b0c-4f3e-9a53-6c7e2b7d1c22"),
        "{\"criterion\":\"L1\",\"policy\":{\"type\":\"ratio\",\"ratio\":0.5}}",
        null,
        null,
        state == JobState.QUEUED ? null : "host-1/0",
        null,
        null,
        null,
        null,
        progress,
        resultBlob,
        report,
        null,
        null,
        null,
        CREATED,
        CREATED,
        state == JobState.QUEUED ? null : CREATED.plusSeconds(1),
        finished ? CREATED.plusSeconds(60) : null,
        0,
        null);
  }

  static Job job(UUID id, JobState state) {
    return job(id, state, null, null, null);
  }

  private static LayerSummary conv(
      String name, List<Long> in, List<Long> out, long params, int kernels) {
    return new LayerSummary(
        name, "Convolution", in, out, params, params * 100, kernels, true, null);
  }

  private static LayerSummary dense(String name, long in, long out) {
    return new LayerSummary(
        name,
        name.equals("out") ? "Output" : "Dense",
        List.of(in),
        List.of(out),
        in * out + out,
        2 * in * out,
        null,
        false,
        "only convolution layers have kernels to eliminate");
  }
}
