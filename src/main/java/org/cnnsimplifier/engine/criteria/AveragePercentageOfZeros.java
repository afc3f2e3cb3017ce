package org.cnnsimplifier.engine.criteria;

import java.util.List;
import org.cnnsimplifier.engine.model.CnnModel;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link Criterion#APOZ}: 1 − APoZ, where APoZ is the fraction of kernel k's post-activation values
 * that are zero over the sample's images × positions (Hu et al. 2016). A kernel that is mostly off
 * scores low.
 *
 * <p>Values ≤ 0 count as zero: after a ReLU that is the same thing, and after activations that go
 * negative (leaky ReLU, tanh, none) "not positive" is what "switched off" means.
 */
final class AveragePercentageOfZeros extends MemberCriterion {

  AveragePercentageOfZeros() {
    super("APOZ", true, false);
  }

  @Override
  double[] memberScores(CnnModel model, String member, List<DataSet> batches) {
    double[] zeros = ChannelSums.meanOf(model, member, batches, act -> act.lte(0.0));
    double[] scores = new double[zeros.length];
    for (int k = 0; k < zeros.length; k++) {
      scores[k] = 1.0 - zeros[k];
    }
    return scores;
  }
}
