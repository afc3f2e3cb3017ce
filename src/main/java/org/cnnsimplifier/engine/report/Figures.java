package org.cnnsimplifier.engine.report;

/** Size, cost and quality of a whole model. */
public record Figures(long params, long flops, Metrics validation) {}
