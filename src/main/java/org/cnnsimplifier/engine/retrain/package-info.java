/**
 * Retraining and evaluation: {@link org.cnnsimplifier.engine.retrain.Trainer} trains the first
 * layers of a model with the later ones frozen ({@code FrozenLayerWithBackprop}), {@link
 * org.cnnsimplifier.engine.retrain.Evaluator} measures accuracy and loss. Plain Java + DL4J.
 */
package org.cnnsimplifier.engine.retrain;
