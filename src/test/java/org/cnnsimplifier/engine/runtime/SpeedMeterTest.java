package org.cnnsimplifier.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.cnnsimplifier.engine.TinyNets;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.engine.report.SpeedComparison;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

class SpeedMeterTest {

  /** conv3x3(width)-conv3x3(width)-output on the tiny nets' input: cost grows with width². */
  private static CnnModel wide(int width) {
    NativeRuntime.initialize();
    InputShape in = TinyNets.INPUT;
    var conf =
        new NeuralNetConfiguration.Builder()
            .seed(1)
            .dataType(DataType.FLOAT)
            .convolutionMode(ConvolutionMode.Same)
            .list()
            .layer(
                new ConvolutionLayer.Builder(3, 3).nOut(width).activation(Activation.RELU).build())
            .layer(
                new ConvolutionLayer.Builder(3, 3).nOut(width).activation(Activation.RELU).build())
            .layer(
                new OutputLayer.Builder(LossFunction.MCXENT)
                    .nOut(TinyNets.CLASSES)
                    .activation(Activation.SOFTMAX)
                    .build())
            .setInputType(InputType.convolutional(in.height(), in.width(), in.channels()))
            .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    return CnnModel.of(network, in, ModelFormat.DL4J_ZIP);
  }

  @Test
  void measuresBothModelsAndReportsTheirRatiosBesideTheFlopReduction() {
    CnnModel big = wide(32);
    CnnModel small = wide(4);
    long bigFlops = ArchitectureSummary.of(big).totalFlops();
    long smallFlops = ArchitectureSummary.of(small).totalFlops();

    SpeedComparison speed = SpeedMeter.compare(big, small, Duration.ofMillis(300));

    assertThat(speed.threads()).isPositive();
    assertThat(speed.throughputBatch()).isEqualTo(SpeedMeter.THROUGHPUT_BATCH);
    assertThat(speed.latencyRuns()).isBetween(1, 50);
    assertThat(speed.throughputRuns()).isBetween(1, 10);
    assertThat(speed.original().latencyMillis()).isPositive();
    assertThat(speed.simplified().imagesPerSecond()).isPositive();
    assertThat(speed.flopReduction()).isEqualTo((double) bigFlops / smallFlops);
    assertThat(speed.latencySpeedUp())
        .isEqualTo(speed.original().latencyMillis() / speed.simplified().latencyMillis());
    assertThat(speed.throughputSpeedUp())
        .isEqualTo(speed.simplified().imagesPerSecond() / speed.original().imagesPerSecond());
    big.close();
    small.close();
  }

  @Test
  void aZeroBudgetStillMeasuresOneRound() {
    CnnModel a = TinyNets.sequential(1);
    CnnModel b = TinyNets.sequential(2);
    SpeedComparison speed = SpeedMeter.compare(a, b, Duration.ZERO);
    assertThat(speed.throughputRuns()).isEqualTo(1);
    assertThat(speed.latencyRuns()).isEqualTo(5);
    assertThat(speed.flopReduction()).isEqualTo(1.0);
  }

  @Test
  void refusesModelsWithDifferentInputs() {
    CnnModel a = TinyNets.sequential(1);
    CnnModel other = wide(4);
    CnnModel b = CnnModel.of(other.network(), new InputShape(1, 10, 10), ModelFormat.DL4J_ZIP);
    assertThatThrownBy(() -> SpeedMeter.compare(a, b, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different inputs");
  }
}
