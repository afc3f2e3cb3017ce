package org.cnnsimplifier.engine.criteria;

import org.cnnsimplifier.engine.model.CnnModel;

/**
 * {@link Criterion#L1}: the sum of absolute weights of each kernel (bias excluded, as Li et al.).
 */
final class L1Norm implements RelevanceCriterion {

  @Override
  public double[] scores(CnnModel model, String layerName, ScoringData data) {
    return KernelWeights.perKernel(KernelWeights.of(model, layerName).norm1(1, 2, 3));
  }
}
