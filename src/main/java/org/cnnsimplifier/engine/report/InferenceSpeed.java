package org.cnnsimplifier.engine.report;

/**
 * Measured inference speed of one model on the worker that ran the job.
 *
 * @param latencyMillis median wall time of one forward pass of a single image (batch 1), in
 *     milliseconds
 * @param imagesPerSecond throughput at the comparison's throughput batch size (64): batch size
 *     divided by the median wall time of one forward pass
 */
public record InferenceSpeed(double latencyMillis, double imagesPerSecond) {}
