package org.cnnsimplifier.engine.criteria;

import org.cnnsimplifier.engine.model.CnnModel;

/** {@link Criterion#L2}: the Euclidean norm of each kernel's weights (bias excluded). */
final class L2Norm implements RelevanceCriterion {

  @Override
  public double[] scores(CnnModel model, String layerName, ScoringData data) {
    return KernelWeights.perKernel(KernelWeights.of(model, layerName).norm2(1, 2, 3));
  }
}
