package org.cnnsimplifier.engine.runtime;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Plain ReLU whose backward pass is two vectorised element-wise ops: {@code in ← step(in)}, then
 * {@code in ← in × ε}, in place (as DL4J's sigmoid and tanh backward passes are). The result is
 * what {@link ActivationReLU} computes ({@code ε} where {@code in > 0}, else 0), bit for bit,
 * except that a non-finite {@code ε} where {@code in ≤ 0} stays non-finite instead of becoming 0 (a
 * step that has already diverged).
 *
 * <p>Why: in ND4J 1.0.0-M2.1, {@code ActivationReLU.backprop} runs libnd4j's {@code relu_bp}, which
 * calls a {@code std::function} per element and writes a fresh array: measured here, 90 ms for a
 * 256×32×28×28 batch against about 4 ms for the two ops, which made the ReLU backward passes a
 * large part of a training step of the benchmark CNN.
 *
 * <p>Only for training networks that are never written out: its class name would end up in the
 * network's JSON. {@link FastPath#applyForTraining} puts it in place of plain {@link
 * ActivationReLU}s (no cap, no threshold, no slope) of a network built for one training run.
 */
final class TrainingRelu extends ActivationReLU {
  @Override
  public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
    assertShape(in, epsilon);
    Nd4j.getExecutioner().exec(new Step(in, in, 0.0));
    return new Pair<>(in.muli(epsilon), null);
  }

  /** Whether {@code activation} is a plain ReLU that this class computes exactly. */
  static boolean replaces(Object activation) {
    return activation != null
        && activation.getClass() == ActivationReLU.class
        && isZeroOrNull(((ActivationReLU) activation).getMax())
        && isZeroOrNull(((ActivationReLU) activation).getThreshold())
        && isZeroOrNull(((ActivationReLU) activation).getNegativeSlope());
  }

  private static boolean isZeroOrNull(Double value) {
    return value == null || value == 0.0;
  }
}
