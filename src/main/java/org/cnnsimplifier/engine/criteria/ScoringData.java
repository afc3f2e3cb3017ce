package org.cnnsimplifier.engine.criteria;

import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * The images a data-driven criterion scores on.
 *
 * @param images labelled NCHW batches (one-hot labels); reset before use and read in order, so
 *     scores are reproducible; may be {@code null} for weight-only criteria
 * @param maxImages at most this many images are read (the last batch is cut), e.g. 512
 */
public record ScoringData(DataSetIterator images, int maxImages) {

  public ScoringData {
    if (maxImages <= 0) {
      throw new IllegalArgumentException("maxImages must be positive, got " + maxImages);
    }
  }

  /** No images: enough for {@link Criterion#L1} and {@link Criterion#L2}. */
  public static ScoringData none() {
    return new ScoringData(null, 1);
  }
}
