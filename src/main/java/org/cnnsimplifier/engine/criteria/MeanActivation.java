package org.cnnsimplifier.engine.criteria;

import java.util.List;
import org.cnnsimplifier.engine.model.CnnModel;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link Criterion#MEAN_ACTIVATION}: the mean of kernel k's post-activation values over the
 * sample's images × positions.
 */
final class MeanActivation extends MemberCriterion {

  MeanActivation() {
    super("MEAN_ACTIVATION", true, false);
  }

  @Override
  double[] memberScores(CnnModel model, String member, List<DataSet> batches) {
    return ChannelSums.meanOf(model, member, batches, act -> act);
  }
}
