/**
 * Relevance criteria: score every kernel of one convolution layer so the elimination policy can
 * drop the least relevant first.
 *
 * <p>{@link org.cnnsimplifier.engine.criteria.Criterion} names the objective criteria of the method
 * (weight norms, activation statistics, Taylor expansion, feature-map rank, ablation) and creates a
 * {@link org.cnnsimplifier.engine.criteria.RelevanceCriterion} for each; higher scores always mean
 * more relevant. Data-driven criteria read at most {@link
 * org.cnnsimplifier.engine.criteria.ScoringData#maxImages()} images, in order, so scores are
 * reproducible. "Post-activation" values are read at the {@linkplain
 * org.cnnsimplifier.engine.criteria.ConvChain#activationPoint() activation point} of the layer.
 *
 * <p>May use the engine's model package, DL4J and ND4J; no Spring, storage or web code. Models
 * passed in are never modified.
 */
package org.cnnsimplifier.engine.criteria;
