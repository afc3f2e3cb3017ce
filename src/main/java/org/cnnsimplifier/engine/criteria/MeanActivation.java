package org.cnnsimplifier.engine.criteria;

import org.cnnsimplifier.engine.model.CnnModel;

/**
 * {@link Criterion#MEAN_ACTIVATION}: the mean of kernel k's post-activation values over the
 * sample's images × positions.
 */
final class MeanActivation implements RelevanceCriterion {

  @Override
  public double[] scores(CnnModel model, String layerName, ScoringData data) {
    return ChannelSums.meanOf(model, layerName, data, "MEAN_ACTIVATION", act -> act);
  }
}
