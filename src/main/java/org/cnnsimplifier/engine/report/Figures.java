package org.cnnsimplifier.engine.report;

/** Size, cost and quality of a whole model. */
public record Figures(long params, long flops, Metrics validation) {

  /** The same size and cost with these validation figures. */
  public Figures with(Metrics newValidation) {
    return new Figures(params, flops, newValidation);
  }
}
