package org.cnnsimplifier.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * ONNX import against models PyTorch exported (src/test/resources/onnx/make_fixtures.py): the
 * imported network computes what PyTorch computed, within 1e-4.
 */
class OnnxImportTest {
  static final java.util.List<String> IMPORTABLE = OnnxFixtures.IMPORTABLE;

  @ParameterizedTest
  @FieldSource("IMPORTABLE")
  void importedNetworkComputesWhatPyTorchComputed(String name) {
    CnnModel model = ModelFiles.read(OnnxFixtures.file(name + ".onnx"));
    OnnxFixtures.Expected expected = OnnxFixtures.expected(name);

    INDArray actual =
        model.logitsOutput()
            ? OnnxFixtures.logits(model, expected.input())
            : model.output(expected.input());

    double difference = OnnxFixtures.maxDifference(actual, expected.output());
    System.out.printf("%s: max |DL4J - PyTorch| = %.3g%n", name, difference);
    assertThat(actual.shape()).isEqualTo(expected.output().shape());
    assertThat(difference).as(name).isLessThan(1e-4);
    assertThat(model.sourceFormat()).isEqualTo(ModelFormat.ONNX);
  }
}
