package org.cnnsimplifier.engine.criteria;

import org.cnnsimplifier.engine.model.CnnModel;

/**
 * Scores the channels of one group (see {@link org.cnnsimplifier.engine.surgery.PruningGroup}) by
 * how much the model relies on them: the kernels of a convolution, the units of a dense layer, or
 * the shared channels of layers coupled by a residual add.
 */
public interface RelevanceCriterion {

  /**
   * One score per channel of the group named by {@code layerOrGroup} (the group's name or any
   * member); higher means more relevant, so the lowest-scoring channels are eliminated first.
   *
   * <p>For a group of one layer the scores are that layer's kernel scores. For a coupled group each
   * member is scored on its own, each member's scores are divided by their mean absolute value (so
   * members of different scale weigh alike), and a group channel's score is the mean of its
   * members' normalised scores.
   *
   * @param model the model to score; left unchanged
   * @param layerOrGroup a layer that makes channels (convolution, separable or transposed
   *     convolution, dense layer) or a group's name
   * @param data images to score on; may be {@code null} for criteria that only read weights
   * @return an array with one score per channel of the group, in the group's channel order
   * @throws org.cnnsimplifier.engine.InvalidPlanException if the layer has no channels to score
   * @throws org.cnnsimplifier.engine.InvalidDatasetException if images are needed but missing
   * @throws org.cnnsimplifier.engine.DatasetMismatchException if the images do not fit the model
   */
  double[] scores(CnnModel model, String layerOrGroup, ScoringData data);
}
