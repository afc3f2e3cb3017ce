package org.cnnsimplifier.engine.surgery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.IntStream;
import org.cnnsimplifier.engine.InvalidPlanException;
import org.cnnsimplifier.engine.TinyNets;
import org.cnnsimplifier.engine.model.CnnModel;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Structural removal equals masking, for every kind of channel group. */
class KernelSurgeryTest {
  private static final double TOLERANCE = 1e-5;

  /** Checks random channel sets of every prunable group of the model. */
  private static void holdsForEveryGroup(CnnModel model, long seed, int trials) {
    INDArray images = imagesFor(model);
    Random random = new Random(seed);
    for (PruningGroup group : ChannelGraph.of(model).prunableGroups()) {
      // All but the last channel: masking them surely changes the output.
      int[] allButLast = IntStream.range(0, group.channels() - group.minChannels()).toArray();
      SurgeryProperty.holds(model, group.name(), allButLast, images, TOLERANCE);
      for (int trial = 0; trial < trials; trial++) {
        int[] channels =
            SurgeryProperty.randomSubset(random, group.channels(), group.minChannels());
        SurgeryProperty.equal(model, group.name(), channels, images, TOLERANCE);
      }
    }
  }

  private static INDArray imagesFor(CnnModel model) {
    return ZooModels.images(model, 6, 7);
  }

  @Test
  void prunedSequentialNetworkEqualsMaskedOriginalForRandomKernelSets() {
    holdsForEveryGroup(TinyNets.sequential(3), 11, 4);
  }

  @Test
  void removingTheLastKernelsWorks() {
    CnnModel model = TinyNets.sequential(5);
    INDArray images = imagesFor(model);
    SurgeryProperty.holds(model, "conv1", new int[] {4, 5}, images, TOLERANCE);
    SurgeryProperty.holds(model, "conv2", new int[] {4}, images, TOLERANCE);
    SurgeryProperty.holds(model, "dense", new int[] {6, 7}, images, TOLERANCE);
  }

  @Test
  void slicesBatchNormalisationAndDenseRowsFromTheFlatten() {
    CnnModel model = TinyNets.sequential(3);
    CnnModel pruned = KernelSurgery.remove(model, "conv1", new int[] {1, 2});
    assertThat(pruned.layer("bn1").getParam("gamma").length()).isEqualTo(4);
    assertThat(pruned.layer("bn1").getParam("mean").length()).isEqualTo(4);
    assertThat(pruned.layer("conv2").getParam("W").shape()).containsExactly(5, 4, 2, 2);

    CnnModel second = KernelSurgery.remove(model, "conv2", new int[] {0, 1, 2});
    // conv2 output is 2 channels × 3 × 3 after the flatten: 18 rows left of 45.
    assertThat(second.layer("dense").getParam("W").shape()).containsExactly(18, 8);
  }

  @Test
  void removesDenseUnitsWithTheNextLayersRows() {
    CnnModel model = TinyNets.sequential(3);
    CnnModel pruned = KernelSurgery.remove(model, "dense", new int[] {0, 3, 7});
    assertThat(pruned.layer("dense").getParam("W").shape()).containsExactly(45, 5);
    assertThat(pruned.layer("dense").getParam("b").length()).isEqualTo(5);
    assertThat(pruned.layer("out").getParam("W").shape()).containsExactly(5, TinyNets.CLASSES);
  }

  @Test
  void prunesBeforeGlobalPoolingOneRowPerChannel() {
    CnnModel model = TinyNets.globalPooling(2);
    holdsForEveryGroup(model, 3, 3);
    CnnModel pruned = KernelSurgery.remove(model, "c2", new int[] {0, 5});
    assertThat(pruned.layer("out").getParam("W").shape()).containsExactly(4, 3);
  }

  @Test
  void prunesComputationGraphChains() {
    CnnModel model = TinyNets.graphChain(4);
    holdsForEveryGroup(model, 5, 3);
    assertThat(KernelSurgery.remove(model, "conv1", new int[] {0}).isGraph()).isTrue();
  }

  @Test
  void residualAddsCoupleTheirInputsIntoOneGroup() {
    for (ElementWiseVertex.Op op :
        new ElementWiseVertex.Op[] {
          ElementWiseVertex.Op.Add,
          ElementWiseVertex.Op.Product,
          ElementWiseVertex.Op.Average,
          ElementWiseVertex.Op.Max,
          ElementWiseVertex.Op.Subtract
        }) {
      CnnModel model = GroupNets.residual(1, op);
      PruningGroup group = ChannelGraph.of(model).prunable("b2");
      assertThat(group.name()).isEqualTo("stem");
      assertThat(group.members()).containsExactly("stem", "b1", "b2");
      assertThat(group.followers()).containsExactly("stem_bn", "b1_bn", "b2_bn");
      assertThat(group.consumers()).containsExactly("a1", "a2", "out");
      holdsForEveryGroup(model, op.ordinal(), op == ElementWiseVertex.Op.Add ? 3 : 1);
      CnnModel pruned = KernelSurgery.remove(model, "b1", new int[] {1, 4});
      for (String member : group.members()) {
        assertThat(((ConvolutionLayer) pruned.layerConf(member)).getNOut()).isEqualTo(4);
      }
    }
  }

  @Test
  void mobileNetBlocksPruneDepthwiseChannelsWithTheirInput() {
    for (int multiplier : new int[] {1, 2}) {
      CnnModel model = GroupNets.mobileNet(2, multiplier);
      ChannelGraph graph = ChannelGraph.of(model);
      PruningGroup expand = graph.prunable("expand1");
      assertThat(expand.followers()).containsExactly("expand1_bn", "dw1", "dw1_bn");
      assertThat(expand.consumers()).containsExactly("project1");
      assertThat(expand.channelsOf("expand1", 3)).containsExactly(3);
      PruningGroup projected = graph.prunable("project2");
      assertThat(projected.members()).containsExactly("project1", "project2");
      assertThat(graph.find("dw1")).contains(expand);
      holdsForEveryGroup(model, 7 + multiplier, 2);
      CnnModel pruned = KernelSurgery.remove(model, "expand1", new int[] {0, 5});
      assertThat(pruned.layer("dw1").getParam("W").shape()).containsExactly(3, 3, 6, multiplier);
      assertThat(pruned.layer("project1").getParam("W").shape())
          .containsExactly(5, 6 * multiplier, 1, 1);
    }
  }

  @Test
  void separableConvolutionsLosePointwiseKernelsAndFollowTheirInput() {
    CnnModel model = GroupNets.xception(3);
    ChannelGraph graph = ChannelGraph.of(model);
    assertThat(graph.prunable("sep2").members()).containsExactlyInAnyOrder("sep2", "shortcut");
    assertThat(graph.prunable("stem").consumers()).containsExactly("sep1", "shortcut");
    holdsForEveryGroup(model, 13, 3);
    CnnModel pruned = KernelSurgery.remove(model, "sep1", new int[] {2});
    assertThat(pruned.layer("sep2").getParam("W").shape()).containsExactly(2, 5, 3, 3);
    assertThat(pruned.layer("sep2").getParam("pW").shape()).containsExactly(5, 10, 1, 1);
  }

  @Test
  void separableConvolutionsKeepTwoInputChannels() {
    CnnModel model = GroupNets.xception(3);
    PruningGroup stem = ChannelGraph.of(model).prunable("stem");
    assertThat(stem.minChannels()).isEqualTo(2);
    assertThatThrownBy(() -> KernelSurgery.remove(model, "stem", new int[] {0, 1, 2}))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("separable");
  }

  @Test
  void concatenationsKeepOneGroupPerInputAtItsOffset() {
    CnnModel model = GroupNets.denseNet(4);
    ChannelGraph graph = ChannelGraph.of(model);
    assertThat(graph.prunable("c0").consumers()).containsExactly("c1", "c2", "transition");
    assertThat(graph.prunable("c1").consumers()).containsExactly("c2", "transition");
    assertThat(graph.prunable("c2").consumers()).containsExactly("transition");
    assertThat(graph.prunable("c1").followers()).containsExactly("bn1");
    holdsForEveryGroup(model, 17, 4);
    CnnModel pruned = KernelSurgery.remove(model, "c1", new int[] {1});
    // c1's kernel 1 sits at offset 4 + 1 of the concatenation.
    assertThat(pruned.layer("bn1").getParam("mean").length()).isEqualTo(6);
    assertThat(pruned.layer("transition").getParam("W").shape()).containsExactly(6, 11, 1, 1);
  }

  @Test
  void passesChannelsThroughPerChannelLayersTransposedConvolutionsAndDenseUnits() {
    CnnModel model = GroupNets.passThrough(5);
    ChannelGraph graph = ChannelGraph.of(model);
    assertThat(graph.prunable("c1").followers()).containsExactly("prelu");
    assertThat(graph.prunable("c1").consumers()).containsExactly("deconv");
    assertThat(graph.prunable("hidden").followers()).containsExactly("hidden_bn");
    holdsForEveryGroup(model, 19, 3);
    CnnModel pruned = KernelSurgery.remove(model, "deconv", new int[] {0, 3});
    assertThat(pruned.layer("deconv").getParam("W").shape()).containsExactly(5, 2, 2, 2);
  }

  @Test
  void channelMixingAfterZeroKeepingLayersIsMaskedAtTheMembers() {
    CnnModel model = GroupNets.normalisedEmbedding(6);
    PruningGroup embedding = ChannelGraph.of(model).prunable("embedding");
    assertThat(embedding.exactMaskNote()).isNull();
    holdsForEveryGroup(model, 23, 4);
  }

  @Test
  void channelMixingAfterBatchNormIsPrunableButNotMaskExact() {
    CnnModel model = GroupNets.localResponse(7);
    PruningGroup c1 = ChannelGraph.of(model).prunable("c1");
    assertThat(c1.exactMaskNote()).contains("'lrn'").contains("LocalResponseNormalization");
    CnnModel pruned = KernelSurgery.remove(model, "c1", new int[] {1, 2});
    assertThat(pruned.layer("c2").getParam("W").shape()).containsExactly(4, 3, 3, 3);
    assertThat(Double.isFinite(pruned.output(imagesFor(model)).sumNumber().doubleValue())).isTrue();
  }

  @Test
  void maskingChangesTheOutputSoTheComparisonIsMeaningful() {
    CnnModel model = TinyNets.sequential(3);
    INDArray images = TinyNets.images(16, 7);
    INDArray original = model.output(images);
    INDArray masked = KernelMask.zeroed(model, "conv2", new int[] {0, 2}).output(images);
    assertThat(original.sub(masked).amaxNumber().doubleValue()).isGreaterThan(1e-4);
  }

  @Test
  void refusesChannelsCutBySubsetVerticesNamingThem() {
    CnnModel model = GroupNets.subset(8);
    assertThatThrownBy(() -> KernelSurgery.remove(model, "hidden", new int[] {0}))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("'first3'")
        .hasMessageContaining("SubsetVertex");
    assertThat(ChannelGraph.of(model).prunable("c1").name()).isEqualTo("c1");
  }

  @Test
  void refusesChannelsCoupledWithTheNetworkInput() {
    CnnModel model = GroupNets.inputResidual(9);
    assertThat(ChannelGraph.of(model).find("c1").orElseThrow().notPrunableReason())
        .contains("network's input");
  }

  @Test
  void refusesTheOutputLayerAndLayersWithoutKernels() {
    CnnModel model = TinyNets.sequential(1);
    assertThatThrownBy(() -> KernelSurgery.remove(model, "out", new int[] {0}))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("classes");
    assertThatThrownBy(() -> KernelSurgery.remove(model, "pool1", new int[] {0}))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("no kernels or units");
  }

  @Test
  void rejectsBadKernelIndices() {
    CnnModel model = TinyNets.sequential(1);
    assertThatThrownBy(() -> KernelSurgery.remove(model, "conv1", new int[] {6}))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("out of range");
    assertThatThrownBy(() -> KernelSurgery.remove(model, "conv1", new int[] {1, 1}))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> KernelSurgery.remove(model, "conv1", IntStream.range(0, 6).toArray()))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("at least one must stay");
    assertThatThrownBy(() -> KernelSurgery.remove(model, "nope", new int[] {0}))
        .isInstanceOf(InvalidPlanException.class)
        .hasMessageContaining("no layer named 'nope'");
  }

  @Test
  void prunedNetworkStillTrains() {
    CnnModel pruned =
        KernelSurgery.remove(
            GroupNets.residual(1, ElementWiseVertex.Op.Add), "b1", new int[] {0, 1});
    INDArray images = ZooModels.images(pruned, 8, 1);
    INDArray labels = org.nd4j.linalg.factory.Nd4j.zeros(8, GroupNets.CLASSES);
    for (int i = 0; i < 8; i++) {
      labels.putScalar(i, i % GroupNets.CLASSES, 1);
    }
    org.nd4j.linalg.dataset.DataSet batch = new org.nd4j.linalg.dataset.DataSet(images, labels);
    double before = pruned.graph().score(batch);
    for (int i = 0; i < 20; i++) {
      pruned.graph().fit(batch);
    }
    assertThat(pruned.graph().score(batch)).isLessThan(before);
  }
}
