package org.cnnsimplifier.engine.plan;

/**
 * How retraining runs after an elimination.
 *
 * @param epochs passes over the training split per retraining (0 = no retraining)
 * @param batchSize images per batch
 * @param learningRate Adam's learning rate
 * @param maxBatchesPerEpoch stop an epoch after this many batches (0 = the whole split)
 */
public record Retraining(int epochs, int batchSize, double learningRate, int maxBatchesPerEpoch) {

  public Retraining {
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
    }
    if (!(learningRate > 0) || learningRate > 1) {
      throw new IllegalArgumentException("learningRate must be in (0, 1], got " + learningRate);
    }
    if (maxBatchesPerEpoch < 0) {
      throw new IllegalArgumentException(
          "maxBatchesPerEpoch must be >= 0, got " + maxBatchesPerEpoch);
    }
  }

  /** One epoch, batch 64, Adam 1e-3, whole split. */
  public static Retraining defaults() {
    return new Retraining(1, 64, 1e-3, 0);
  }
}
