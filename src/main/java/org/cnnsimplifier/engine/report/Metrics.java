package org.cnnsimplifier.engine.report;

/** Classification accuracy (0..1) and mean cross-entropy loss on one split. */
public record Metrics(double accuracy, double loss, long images) {}
