/**
 * Structural kernel removal: which layers depend on a convolution layer's channels ({@link
 * org.cnnsimplifier.engine.surgery.ChannelDependents}), a smaller network without some kernels
 * ({@link org.cnnsimplifier.engine.surgery.KernelSurgery}), and the masked reference it must match
 * ({@link org.cnnsimplifier.engine.surgery.KernelMask}).
 *
 * <p>Plain Java + DL4J; uses only {@code engine} and {@code engine.model}.
 */
package org.cnnsimplifier.engine.surgery;
