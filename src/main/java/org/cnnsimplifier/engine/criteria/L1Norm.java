package org.cnnsimplifier.engine.criteria;

import java.util.List;
import org.cnnsimplifier.engine.model.CnnModel;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link Criterion#L1}: the sum of absolute weights of each kernel (bias excluded, as Li et al.);
 * for a dense unit, of its input weights.
 */
final class L1Norm extends MemberCriterion {

  L1Norm() {
    super("L1", false, false);
  }

  @Override
  double[] memberScores(CnnModel model, String member, List<DataSet> batches) {
    return KernelWeights.perKernel(KernelWeights.of(model, member).norm1(1));
  }
}
