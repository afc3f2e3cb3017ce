package org.cnnsimplifier.engine.criteria;

import java.util.List;
import org.cnnsimplifier.engine.model.CnnModel;
import org.nd4j.linalg.dataset.DataSet;

/** {@link Criterion#L2}: the Euclidean norm of each kernel's weights (bias excluded). */
final class L2Norm extends MemberCriterion {

  L2Norm() {
    super("L2", false, false);
  }

  @Override
  double[] memberScores(CnnModel model, String member, List<DataSet> batches) {
    return KernelWeights.perKernel(KernelWeights.of(model, member).norm2(1));
  }
}
