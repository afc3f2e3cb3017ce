package org.cnnsimplifier.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArchitectureSummaryTest {
  private static final CnnModel REFERENCE =
      CnnModel.of(TestNetworks.referenceCnn(), new InputShape(1, 28, 28), ModelFormat.DL4J_ZIP);

  @Test
  void countsTheReferenceCnnParametersAsPyTorchDoes() {
    ArchitectureSummary summary = ArchitectureSummary.of(REFERENCE);

    assertThat(summary.totalParams()).isEqualTo(467_818L).isEqualTo(REFERENCE.numParams());
    assertThat(summary.layers())
        .extracting(LayerSummary::params)
        .containsExactly(320L, 9_248L, 0L, 18_496L, 36_928L, 0L, 401_536L, 1_290L);
  }

  @Test
  void followsShapesFromTheInputThroughEveryLayer() {
    ArchitectureSummary summary = ArchitectureSummary.of(REFERENCE);

    assertThat(summary.layers())
        .extracting(LayerSummary::kind)
        .containsExactly(
            "Convolution",
            "Convolution",
            "Subsampling",
            "Convolution",
            "Convolution",
            "Subsampling",
            "Dense",
            "Output");
    assertThat(summary.layers())
        .extracting(LayerSummary::outputShape)
        .containsExactly(
            List.of(32L, 28L, 28L),
            List.of(32L, 28L, 28L),
            List.of(32L, 14L, 14L),
            List.of(64L, 14L, 14L),
            List.of(64L, 14L, 14L),
            List.of(64L, 7L, 7L),
            List.of(128L),
            List.of(10L));
    assertThat(summary.layers().get(0).inputShape()).containsExactly(1L, 28L, 28L);
    // The dense layer reads the flattened 64x7x7 activation.
    assertThat(summary.layers().get(6).inputShape()).containsExactly(3_136L);
  }

  @Test
  void countsTwoFlopsPerMultiplyAddOfConvolutionAndDenseLayers() {
    ArchitectureSummary summary = ArchitectureSummary.of(REFERENCE);

    long conv1 = 2L * 3 * 3 * 1 * 32 * 28 * 28;
    long conv2 = 2L * 3 * 3 * 32 * 32 * 28 * 28;
    long conv3 = 2L * 3 * 3 * 32 * 64 * 14 * 14;
    long conv4 = 2L * 3 * 3 * 64 * 64 * 14 * 14;
    long dense = 2L * 3_136 * 128;
    long output = 2L * 128 * 10;
    assertThat(summary.layers())
        .extracting(LayerSummary::flops)
        .containsExactly(conv1, conv2, 0L, conv3, conv4, 0L, dense, output);
    assertThat(summary.totalFlops()).isEqualTo(37_383_680L);
  }

  @Test
  void offersEveryConvolutionAndTheHiddenDenseLayerForPruning() {
    ArchitectureSummary summary = ArchitectureSummary.of(REFERENCE);

    assertThat(summary.prunableLayers())
        .containsExactly("layer0", "layer1", "layer3", "layer4", "layer6");
    assertThat(summary.defaultGroups()).containsExactly("layer0", "layer1", "layer3", "layer4");
    assertThat(summary.layers())
        .extracting(LayerSummary::kernels)
        .containsExactly(32, 32, null, 64, 64, null, 128, null);
    LayerSummary dense = summary.layer("layer6").orElseThrow();
    assertThat(dense.group()).isEqualTo("layer6");
    assertThat(dense.groupConsumers()).containsExactly("layer7");
    LayerSummary output = summary.layer("layer7").orElseThrow();
    assertThat(output.prunable()).isFalse();
    assertThat(output.notPrunableReason()).contains("classes");
    assertThat(summary.layer("layer2").orElseThrow().notPrunableReason())
        .contains("only convolution kernels and dense units");
    assertThat(summary.layer("layer0").orElseThrow().notPrunableReason()).isNull();
    assertThat(summary.group("layer1").orElseThrow().consumers()).containsExactly("layer3");
  }

  @Test
  void summarisesAGraphWithBatchNormalizationAndGlobalPooling() {
    CnnModel model =
        CnnModel.of(TestNetworks.tinyGraph(), new InputShape(2, 8, 8), ModelFormat.DL4J_ZIP);

    ArchitectureSummary summary = ArchitectureSummary.of(model);

    assertThat(summary.layers())
        .extracting(LayerSummary::name, LayerSummary::kind)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("conv", "Convolution"),
            org.assertj.core.groups.Tuple.tuple("bn", "BatchNormalization"),
            org.assertj.core.groups.Tuple.tuple("relu", "Activation"),
            org.assertj.core.groups.Tuple.tuple("gap", "GlobalPooling"),
            org.assertj.core.groups.Tuple.tuple("out", "Output"));
    assertThat(summary.layer("bn").orElseThrow().outputShape()).containsExactly(4L, 8L, 8L);
    assertThat(summary.layer("gap").orElseThrow().outputShape()).containsExactly(4L);
    // gamma, beta, mean and variance per channel
    assertThat(summary.layer("bn").orElseThrow().params()).isEqualTo(16L);
    assertThat(summary.totalParams()).isEqualTo(model.numParams());
    assertThat(summary.prunableLayers()).containsExactly("conv");
  }
}
