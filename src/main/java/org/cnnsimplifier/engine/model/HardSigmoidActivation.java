package org.cnnsimplifier.engine.model;

import java.util.Objects;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * {@code f(x) = min(1, max(0, alpha·x + beta))}, ONNX's HardSigmoid with any slope and offset.
 * DL4J's own hard sigmoid is fixed at alpha 0.2 (Keras'); PyTorch's {@code Hardsigmoid} exports
 * alpha 1/6. Saved in DL4J configurations by class name, so it must stay at this name.
 */
public final class HardSigmoidActivation extends BaseActivationFunction {
  private static final long serialVersionUID = 1L;

  @JsonProperty private double alpha;
  @JsonProperty private double beta;

  /** For JSON deserialization. */
  public HardSigmoidActivation() {
    this(0.2, 0.5);
  }

  public HardSigmoidActivation(double alpha, double beta) {
    this.alpha = alpha;
    this.beta = beta;
  }

  public double alpha() {
    return alpha;
  }

  public double beta() {
    return beta;
  }

  @Override
  public INDArray getActivation(INDArray in, boolean training) {
    in.muli(alpha).addi(beta);
    Transforms.max(in, 0.0, false);
    return Transforms.min(in, 1.0, false);
  }

  @Override
  public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
    assertShape(in, epsilon);
    INDArray z = in.mul(alpha).addi(beta);
    INDArray inside = z.gt(0.0).castTo(in.dataType()).muli(z.lt(1.0).castTo(in.dataType()));
    return new Pair<>(inside.muli(alpha).muli(epsilon), null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HardSigmoidActivation other && other.alpha == alpha && other.beta == beta;
  }

  @Override
  public int hashCode() {
    return Objects.hash(alpha, beta);
  }

  @Override
  public String toString() {
    return "hardsigmoid(" + alpha + ", " + beta + ")";
  }
}
