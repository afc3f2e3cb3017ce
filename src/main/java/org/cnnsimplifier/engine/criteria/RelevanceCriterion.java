package org.cnnsimplifier.engine.criteria;

import org.cnnsimplifier.engine.model.CnnModel;

/** Scores the kernels of one convolution layer by how much the model relies on them. */
public interface RelevanceCriterion {

  /**
   * One score per kernel (output channel) of the named 2D convolution layer; higher means more
   * relevant, so the lowest-scoring kernels are eliminated first.
   *
   * @param model the model to score; left unchanged
   * @param layerName a {@code ConvolutionLayer} of the model
   * @param data images to score on; may be {@code null} for criteria that only read weights
   * @return an array of length {@code nOut} of the layer, in kernel order
   * @throws org.cnnsimplifier.engine.InvalidPlanException if the layer is not a 2D convolution
   * @throws org.cnnsimplifier.engine.InvalidDatasetException if images are needed but missing
   * @throws org.cnnsimplifier.engine.DatasetMismatchException if the images do not fit the model
   */
  double[] scores(CnnModel model, String layerName, ScoringData data);
}
