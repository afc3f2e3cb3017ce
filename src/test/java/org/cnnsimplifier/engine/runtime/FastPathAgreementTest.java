package org.cnnsimplifier.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.data.Offset;
import org.cnnsimplifier.engine.model.CnnModel;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The fast path (oneDNN helpers, workspaces, device cache) computes what the plain path computes.
 *
 * <p>Tolerances, for float32: per parameter array, the largest absolute difference between the two
 * gradients divided by the largest absolute plain gradient is at most {@value #GRADIENT_TOLERANCE};
 * scores differ by at most {@value #SCORE_TOLERANCE} relative; after the same twelve Adam steps the
 * parameters agree within {@value #PARAMETER_TOLERANCE} (same measure) and the test accuracies
 * within {@value #ACCURACY_TOLERANCE}. Measured on this project's CPUs: gradients and parameters
 * agree to about 1e-6 and 2e-5; with an NHWC convolution helper the first layer's weight gradient
 * is off by about 90%.
 */
class FastPathAgreementTest {
  static final double GRADIENT_TOLERANCE = 1e-3;
  static final double SCORE_TOLERANCE = 1e-5;
  static final double ACCURACY_TOLERANCE = 0.05;
  static final double PARAMETER_TOLERANCE = 1e-3;

  @BeforeAll
  static void enableHelpers() {
    NativeRuntime.initialize();
  }

  @Test
  void attachesOneDnnHelpersToNchwConvolutionPoolingAndBatchNorm() {
    MultiLayerNetwork network = TinyCnn.build(CNN2DFormat.NCHW);

    FastPathReport report = FastPath.apply(TinyCnn.model(network));

    assertThat(NativeRuntime.helpersEnabled()).isTrue();
    assertThat(report.withHelper()).containsExactly("layer0", "layer1", "layer3", "layer4");
    assertThat(report.helperRemoved()).isEmpty();
    assertThat(((ConvolutionLayer) network.getLayer(0)).getHelper())
        .isInstanceOf(MKLDNNConvHelper.class);
    assertThat(((BatchNormalization) network.getLayer(1)).getHelper()).isNotNull();
    assertThat(((SubsamplingLayer) network.getLayer(3)).getHelper())
        .isInstanceOf(MKLDNNSubsamplingHelper.class);
  }

  @Test
  void setsWorkspacesAndDeviceCache() {
    MultiLayerNetwork network = TinyCnn.build(CNN2DFormat.NCHW);
    network.getLayerWiseConfigurations().setTrainingWorkspaceMode(WorkspaceMode.NONE);

    FastPath.apply(TinyCnn.model(network));

    var conf = network.getLayerWiseConfigurations();
    assertThat(conf.getTrainingWorkspaceMode()).isEqualTo(WorkspaceMode.ENABLED);
    assertThat(conf.getInferenceWorkspaceMode()).isEqualTo(WorkspaceMode.ENABLED);
    assertThat(conf.getCacheMode()).isEqualTo(CacheMode.DEVICE);
  }

  @Test
  void removesHelpersFromNhwcLayersBecauseTheirGradientsAreWrong() {
    MultiLayerNetwork network = TinyCnn.build(CNN2DFormat.NHWC);
    assertThat(((ConvolutionLayer) network.getLayer(0)).getHelper()).isNotNull();

    FastPathReport report = FastPath.apply(TinyCnn.model(network));

    assertThat(report.withHelper()).isEmpty();
    assertThat(report.helperRemoved()).contains("layer0", "layer4");
    assertThat(((ConvolutionLayer) network.getLayer(0)).getHelper()).isNull();
  }

  @Test
  void nhwcHelperComputesWrongConvolutionGradients() {
    MultiLayerNetwork helped = TinyCnn.build(CNN2DFormat.NHWC);
    MultiLayerNetwork plain = helped.clone();
    FastPath.removeHelpers(TinyCnn.model(plain));
    DataSet batch = TinyCnn.toNhwc(TinyCnn.images(24, 1));

    Map<String, INDArray> helpedGradients = gradients(helped, batch);
    Map<String, INDArray> plainGradients = gradients(plain, batch);

    // If a DL4J upgrade fixes this, FastPath may keep NHWC helpers: this test will say so.
    assertThat(relativeError(helpedGradients.get("0_W"), plainGradients.get("0_W")))
        .as("first convolution's weight gradient with the NHWC helper")
        .isGreaterThan(0.1);
  }

  @Test
  void attachesHelpersInComputationGraphs() {
    ComputationGraph graph = TinyCnn.build(CNN2DFormat.NCHW).toComputationGraph();
    CnnModel model = TinyCnn.model(TinyCnn.build(CNN2DFormat.NCHW)).with(graph);
    FastPath.removeHelpers(model);

    FastPathReport report = FastPath.apply(model);

    assertThat(report.withHelper()).hasSize(4);
    assertThat(FastPath.layersWithHelper(model)).isEqualTo(report.withHelper());
  }

  @Test
  void plainPathHasNoHelpers() {
    CnnModel model = TinyCnn.model(TinyCnn.build(CNN2DFormat.NCHW));

    FastPath.removeHelpers(model);

    assertThat(FastPath.layersWithHelper(model)).isEmpty();
  }

  @Test
  void fastAndPlainGradientsAgree() {
    MultiLayerNetwork fast = TinyCnn.build(CNN2DFormat.NCHW);
    MultiLayerNetwork plain = fast.clone();
    FastPath.apply(TinyCnn.model(fast));
    FastPath.apply(TinyCnn.model(plain));
    FastPath.removeHelpers(TinyCnn.model(plain));
    DataSet batch = TinyCnn.images(24, 1);

    Map<String, INDArray> fastGradients = gradients(fast, batch);
    Map<String, INDArray> plainGradients = gradients(plain, batch);

    assertThat(fastGradients.keySet()).isEqualTo(plainGradients.keySet());
    for (String key : plainGradients.keySet()) {
      assertThat(relativeError(fastGradients.get(key), plainGradients.get(key)))
          .as("gradient %s", key)
          .isLessThanOrEqualTo(GRADIENT_TOLERANCE);
    }
    assertThat(fast.score()).isCloseTo(plain.score(), relativeTo(plain.score(), SCORE_TOLERANCE));
  }

  @Test
  void fastAndPlainTrainingReachTheSameAccuracy() {
    MultiLayerNetwork fast = TinyCnn.build(CNN2DFormat.NCHW);
    MultiLayerNetwork plain = fast.clone();
    FastPath.apply(TinyCnn.model(fast));
    FastPath.apply(TinyCnn.model(plain));
    FastPath.removeHelpers(TinyCnn.model(plain));
    DataSet test = TinyCnn.images(90, 99);

    for (int step = 0; step < 12; step++) {
      DataSet batch = TinyCnn.images(30, 100 + step);
      fast.fit(batch);
      plain.fit(batch);
    }

    double fastAccuracy = accuracy(fast, test);
    double plainAccuracy = accuracy(plain, test);
    assertThat(plainAccuracy).isGreaterThanOrEqualTo(0.9);
    assertThat(fastAccuracy).isCloseTo(plainAccuracy, Offset.offset(ACCURACY_TOLERANCE));
    assertThat(relativeError(fast.params(), plain.params()))
        .as("parameters after training")
        .isLessThanOrEqualTo(PARAMETER_TOLERANCE);
  }

  private static Map<String, INDArray> gradients(MultiLayerNetwork network, DataSet batch) {
    network.setInput(batch.getFeatures());
    network.setLabels(batch.getLabels());
    network.computeGradientAndScore();
    Map<String, INDArray> copy = new TreeMap<>();
    network.gradient().gradientForVariable().forEach((k, v) -> copy.put(k, v.dup()));
    return copy;
  }

  /** Largest absolute difference over the largest absolute reference value. */
  static double relativeError(INDArray actual, INDArray reference) {
    double scale = Math.max(reference.amaxNumber().doubleValue(), 1e-12);
    return actual.sub(reference).amaxNumber().doubleValue() / scale;
  }

  private static Offset<Double> relativeTo(double value, double tolerance) {
    return Offset.offset(Math.abs(value) * tolerance);
  }

  private static double accuracy(MultiLayerNetwork network, DataSet test) {
    INDArray predicted = network.output(test.getFeatures()).argMax(1);
    INDArray actual = test.getLabels().argMax(1);
    return predicted.eq(actual).castTo(DataType.INT).sumNumber().doubleValue() / test.numExamples();
  }
}
