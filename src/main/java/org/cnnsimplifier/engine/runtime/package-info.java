/**
 * The engine's native runtime: how ND4J and DL4J are set up so CNNs train and infer fast on the CPU
 * without changing their results.
 *
 * <ul>
 *   <li>{@link org.cnnsimplifier.engine.runtime.NativeRuntime#initialize()} once per process,
 *       before any network is built: turns on DL4J's oneDNN layer helpers (off by default in
 *       1.0.0-M2.1, and unreachable without the {@code org.nd4j.nativeblas.Nd4jCpu} shim).
 *   <li>{@link org.cnnsimplifier.engine.runtime.FastPath#apply} on each network before training or
 *       inference: helpers on NCHW convolution, pooling and batch-norm layers only (NHWC helper
 *       gradients are wrong in M2.1), training and inference workspaces, device cache.
 * </ul>
 *
 * <p>Measured on a 2-core AVX2 machine with the benchmark CNN ({@code org.cnnsimplifier.bench
 * .Benchmark} in the test sources, run by the {@code benchmark} Maven profile): the helpers make
 * training roughly 6-10 times and inference roughly 20 times faster than DL4J's built-in path,
 * which puts DL4J at PyTorch's CPU training speed at batch 256 and above it for inference. About
 * two thirds of a training step is then spent inside oneDNN's convolution kernels. {@code
 * FastPathAgreementTest} proves both paths compute the same gradients.
 *
 * <p>Plain Java and DL4J/ND4J only: no Spring, JDBC or servlet types.
 */
package org.cnnsimplifier.engine.runtime;
