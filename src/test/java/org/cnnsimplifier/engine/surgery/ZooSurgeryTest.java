package org.cnnsimplifier.engine.surgery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.cnnsimplifier.engine.InvalidModelException;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.LayerSummary;
import org.cnnsimplifier.engine.model.ModelFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Models no one here wrote, from Deeplearning4j's model zoo at small input sizes: every
 * convolution-like layer can lose kernels (alone or in its group) unless a stated reason says why,
 * and pruning a group of each kind equals masking it.
 */
class ZooSurgeryTest {
  private static final Set<String> KINDS =
      Set.of("Convolution", "DepthwiseConvolution", "SeparableConvolution", "Deconvolution");
  private static final double TOLERANCE = 5e-4;

  @TempDir Path dir;

  /** Read back as an upload is: through the model file, with its checks and output handling. */
  private CnnModel uploaded(CnnModel model, String name) {
    Path file = dir.resolve(name + ".zip");
    ModelFiles.write(model, file);
    return ModelFiles.read(file);
  }

  @Test
  void everyConvolutionLikeLayerIsPrunableOrSaysWhyNot() {
    Map<String, Supplier<CnnModel>> zoo =
        Map.of(
            "ResNet50", () -> ZooModels.resNet50(128),
            "SqueezeNet", () -> ZooModels.squeezeNet(64),
            "Darknet19", () -> ZooModels.darknet19(64),
            "Xception", () -> ZooModels.xception(71),
            "InceptionResNetV1", () -> ZooModels.inceptionResNetV1(160),
            "SimpleCNN", () -> ZooModels.simpleCnn(48));
    Map<String, List<String>> classifierConvolutions =
        Map.of(
            "SqueezeNet", List.of("conv10"),
            "Darknet19", List.of("convolution2d_19"),
            "SimpleCNN", List.of("layer30"));
    for (String name :
        List.of(
            "ResNet50", "SqueezeNet", "Darknet19", "Xception", "InceptionResNetV1", "SimpleCNN")) {
      ArchitectureSummary summary = ArchitectureSummary.of(uploaded(zoo.get(name).get(), name));
      List<LayerSummary> convolutions =
          summary.layers().stream().filter(l -> KINDS.contains(l.kind())).toList();
      List<String> refused = new ArrayList<>();
      for (LayerSummary layer : convolutions) {
        if (!layer.prunable()) {
          refused.add(layer.name());
          assertThat(layer.notPrunableReason()).as(name + " " + layer.name()).contains("classes");
        } else {
          assertThat(layer.group()).isNotNull();
          assertThat(layer.groupMembers()).contains(layer.name());
        }
      }
      System.out.printf(
          "%s: %d convolution-like layers, %d prunable, %d groups (%d prunable)%n",
          name,
          convolutions.size(),
          convolutions.size() - refused.size(),
          summary.groups().size(),
          summary.prunableGroups().size());
      assertThat(refused).as(name).isEqualTo(classifierConvolutions.getOrDefault(name, List.of()));
    }
  }

  @Test
  void refusesResNet50AsTheZooInitialisesItBecauseItsOutputIsNotFinite() {
    CnnModel model = ZooModels.resNet50ZooInit(128);
    Path file = dir.resolve("resnet.zip");
    ModelFiles.write(model, file);
    assertThatThrownBy(() -> ModelFiles.read(file))
        .isInstanceOf(InvalidModelException.class)
        .hasMessageContaining("NaN or infinity");
  }

  @Test
  void resNetStagesAreResidualGroupsThatPruneExactly() {
    CnnModel model = ZooModels.resNet50(128);
    ChannelGraph graph = ChannelGraph.of(model);
    PruningGroup stage2 = graph.prunable("res2b_branch2c");
    assertThat(stage2.members())
        .containsExactly("res2a_branch1", "res2a_branch2c", "res2b_branch2c", "res2c_branch2c");
    assertThat(stage2.consumers())
        .containsExactly("res2b_branch2a", "res2c_branch2a", "res3a_branch2a", "res3a_branch1");
    INDArray images = ZooModels.images(model, 2, 3);
    SurgeryProperty.holds(model, stage2.name(), range(0, 200), images, TOLERANCE);
    SurgeryProperty.holds(model, "res3b_branch2a", range(0, 100), images, TOLERANCE);
  }

  @Test
  void squeezeNetFireConcatenationsAndDarknetChainsPruneExactly() {
    CnnModel squeeze = ZooModels.squeezeNet(64);
    ChannelGraph graph = ChannelGraph.of(squeeze);
    assertThat(graph.prunable("fire2_exp3x3").consumers()).containsExactly("fire3_sq1x1");
    INDArray images = ZooModels.images(squeeze, 4, 5);
    // Early layers of the randomly initialised model barely move its output: test late ones.
    SurgeryProperty.holds(squeeze, "fire8_exp3x3", range(0, 200), images, TOLERANCE);
    SurgeryProperty.holds(squeeze, "fire9_sq1x1", range(0, 40), images, TOLERANCE);

    CnnModel darknet = ZooModels.darknet19(64);
    SurgeryProperty.holds(
        darknet, "convolution2d_18", range(0, 500), ZooModels.images(darknet, 4, 6), TOLERANCE);
  }

  @Test
  void xceptionSeparableResidualsAndInceptionConcatenationsPruneExactly() {
    CnnModel xception = ZooModels.xception(71);
    PruningGroup residual = ChannelGraph.of(xception).prunable("block5_sepconv3");
    assertThat(residual.members()).hasSize(10).contains("residual3_conv", "block12_sepconv3");
    SurgeryProperty.holds(
        xception, residual.name(), range(0, 300), ZooModels.images(xception, 2, 7), TOLERANCE);

    CnnModel inception = ZooModels.inceptionResNetV1(160);
    INDArray images = ZooModels.images(inception, 2, 8);
    PruningGroup trunk = ChannelGraph.of(inception).prunable("reduceA-cnn4");
    assertThat(trunk.members()).contains("stem-cnn7", "resnetC-cnn5-5");
    // Every third channel: each member keeps some (stem-cnn7 owns only channels 0..255).
    SurgeryProperty.holds(inception, trunk.name(), everyThird(900), images, TOLERANCE);
    assertThatThrownBy(() -> KernelSurgery.remove(inception, trunk.name(), range(0, 256)))
        .isInstanceOf(org.cnnsimplifier.engine.InvalidPlanException.class)
        .hasMessageContaining("every kernel of its member 'stem-cnn7'");
    SurgeryProperty.holds(inception, "resnetA-cnn2-1", range(0, 16), images, TOLERANCE);
    SurgeryProperty.holds(inception, "bottleneck", range(0, 64), images, TOLERANCE);
  }

  @Test
  void vggChainsAndDenseUnitsPruneExactly() {
    CnnModel vgg = ZooModels.vgg16(32);
    INDArray images = ZooModels.images(vgg, 4, 9);
    SurgeryProperty.holds(vgg, "0", range(0, 32), images, TOLERANCE);
    SurgeryProperty.holds(vgg, "12", range(0, 256), images, TOLERANCE);
    SurgeryProperty.holds(vgg, "18", range(0, 2048), images, TOLERANCE);
  }

  private static int[] everyThird(int below) {
    return java.util.stream.IntStream.range(0, below).filter(k -> k % 3 == 0).toArray();
  }

  private static int[] range(int from, int to) {
    return java.util.stream.IntStream.range(from, to).toArray();
  }
}
