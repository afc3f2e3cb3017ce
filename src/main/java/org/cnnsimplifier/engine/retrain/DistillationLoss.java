package org.cnnsimplifier.engine.retrain;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Knowledge distillation on a softmax output: {@code (1−α)·CE(y, softmax(z)) + α·T²·KL(softmax(t/T)
 * ‖ softmax(z/T))}, where {@code z} are the student's logits (the output layer's pre-activation)
 * and {@code t} the teacher's. The labels carry both: the one-hot labels, then the teacher's logits
 * (twice the classes wide).
 *
 * <p>The gradient with respect to {@code z} is {@code (1−α)(softmax(z) − y) + α·T·(softmax(z/T) −
 * softmax(t/T))}; the first term is computed exactly as DL4J's MCXENT with softmax computes its
 * gradient, so α = 0 trains bit for bit as without distillation.
 */
final class DistillationLoss implements ILossFunction {
  private static final long serialVersionUID = 1L;
  private static final double EPSILON = 1e-10;

  private final double alpha;
  private final double temperature;

  DistillationLoss(double alpha, double temperature) {
    this.alpha = alpha;
    this.temperature = temperature;
  }

  private static INDArray labelsOf(INDArray labels, long classes) {
    return labels.get(NDArrayIndex.all(), NDArrayIndex.interval(0, classes));
  }

  private static INDArray teacherOf(INDArray labels, long classes) {
    return labels.get(NDArrayIndex.all(), NDArrayIndex.interval(classes, 2 * classes));
  }

  private static INDArray softmax(INDArray logits, double temperature) {
    return Transforms.softmax(logits.div(temperature), false);
  }

  @Override
  public INDArray computeScoreArray(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    labels = labels.castTo(preOutput.dataType());
    long classes = preOutput.size(1);
    INDArray y = labelsOf(labels, classes);
    INDArray output = activationFn.getActivation(preOutput.dup(), false);
    INDArray hard =
        Transforms.log(Transforms.max(output, EPSILON, false), false).muli(y).sum(1).negi();
    INDArray teacher = softmax(teacherOf(labels, classes), temperature);
    INDArray student = softmax(preOutput, temperature);
    INDArray kl =
        teacher
            .mul(
                Transforms.log(Transforms.max(teacher, EPSILON, true), false)
                    .subi(Transforms.log(Transforms.max(student, EPSILON, false), false)))
            .sum(1);
    INDArray score =
        hard.muli(1 - alpha).addi(kl.muli(alpha * temperature * temperature)).reshape(-1, 1);
    if (mask != null) {
      score.muli(mask.reshape(-1, 1).castTo(score.dataType()));
    }
    return score;
  }

  @Override
  public double computeScore(
      INDArray labels,
      INDArray preOutput,
      IActivation activationFn,
      INDArray mask,
      boolean average) {
    INDArray scores = computeScoreArray(labels, preOutput, activationFn, mask);
    double sum = scores.sumNumber().doubleValue();
    return average ? sum / scores.size(0) : sum;
  }

  @Override
  public INDArray computeGradient(
      INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
    labels = labels.castTo(preOutput.dataType());
    long classes = preOutput.size(1);
    INDArray y = labelsOf(labels, classes);
    INDArray output = activationFn.getActivation(preOutput.dup(), true);
    INDArray grad = output.subi(y).muli(1 - alpha);
    INDArray soft =
        softmax(preOutput, temperature).subi(softmax(teacherOf(labels, classes), temperature));
    grad.addi(soft.muli(alpha * temperature));
    if (mask != null) {
      grad.muliColumnVector(mask.reshape(-1, 1).castTo(grad.dataType()));
    }
    return grad;
  }

  @Override
  public Pair<Double, INDArray> computeGradientAndScore(
      INDArray labels,
      INDArray preOutput,
      IActivation activationFn,
      INDArray mask,
      boolean average) {
    return new Pair<>(
        computeScore(labels, preOutput, activationFn, mask, average),
        computeGradient(labels, preOutput, activationFn, mask));
  }

  @Override
  public String name() {
    return "distillation(alpha=" + alpha + ", T=" + temperature + ")";
  }

  @Override
  public String toString() {
    return name();
  }
}
