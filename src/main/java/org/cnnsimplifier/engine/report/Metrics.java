package org.cnnsimplifier.engine.report;

/**
 * Classification accuracy (0..1) and mean cross-entropy loss on one split.
 *
 * @param images how many images the figures were measured on
 * @param split the split they were measured on ({@code "validation"}, {@code "test"} or {@code
 *     "held-out"}); {@code null} when not told (figures stored before reports named splits)
 */
public record Metrics(double accuracy, double loss, long images, String split) {

  /** Figures whose split is not told yet; see {@link #on}. */
  public Metrics(double accuracy, double loss, long images) {
    this(accuracy, loss, images, null);
  }

  /** The same figures, measured on {@code splitName}. */
  public Metrics on(String splitName) {
    return new Metrics(accuracy, loss, images, splitName);
  }
}
