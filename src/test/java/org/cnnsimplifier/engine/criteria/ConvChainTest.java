package org.cnnsimplifier.engine.criteria;

import static org.assertj.core.api.Assertions.assertThat;

import org.cnnsimplifier.engine.model.CnnModel;
import org.junit.jupiter.api.Test;

class ConvChainTest {

  @Test
  void inlineActivationIsTheActivationPoint() {
    CnnModel model =
        TinyNets.pointwiseClassifier(
            new double[] {1, 1}, new double[2], new double[2][2], new double[2]);

    ConvChain chain = ConvChain.of(model, "layer0");

    assertThat(chain.activationPoint()).isEqualTo("layer0");
    assertThat(chain.followers()).isEmpty();
    assertThat(chain.kernels()).isEqualTo(2);
  }

  @Test
  void followsBatchNormToTheActivationLayerInASequentialModel() {
    CnnModel model = TinyNets.sequentialWithBatchNorm();
    ConvChain chain = ConvChain.of(model, "layer1");

    assertThat(chain.followers()).containsExactly("layer2", "layer3");
    assertThat(chain.activationPoint()).isEqualTo("layer3");
    assertThat(chain.layers()).containsExactly("layer1", "layer2", "layer3");
    assertThat(ConvChain.of(model, "layer0").activationPoint()).isEqualTo("layer0");
    assertThat(ConvChain.of(model, "layer0").followers()).isEmpty();
  }

  @Test
  void followsVertexOutputsToTheActivationLayerInAGraph() {
    ConvChain chain = ConvChain.of(TinyNets.graphWithBatchNorm(), "conv");

    assertThat(chain.followers()).containsExactly("bn", "relu");
    assertThat(chain.activationPoint()).isEqualTo("relu");
    assertThat(chain.kernels()).isEqualTo(4);
  }
}
