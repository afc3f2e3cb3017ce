/**
 * Models the engine works on: reading and writing model files, and describing a model's
 * architecture.
 *
 * <ul>
 *   <li>{@link org.cnnsimplifier.engine.model.ModelFiles} reads Deeplearning4j model zips, Keras
 *       HDF5 files and ONNX models (told apart by content), validates them (one input, one output,
 *       at least one 2D convolution) and writes models as DL4J zips with a metadata entry, as ONNX
 *       ({@code onnx}) or as Keras HDF5 ({@code keras}), atomically; {@link
 *       org.cnnsimplifier.engine.model.ModelFiles#exportFormats} says which formats a model's
 *       layers allow.
 *   <li>{@link org.cnnsimplifier.engine.model.CnnModel} wraps the DL4J network with its input
 *       shape, source format, {@link org.cnnsimplifier.engine.model.InputPreprocessing} and whether
 *       its source output logits; every model the engine holds is NCHW. Keras {@code channels_last}
 *       imports arrive NHWC and are converted on reading (the dense rows after a flatten are
 *       permuted so predictions do not change), and an imported softmax classifier gets a
 *       cross-entropy loss so it can be retrained.
 *   <li>{@link org.cnnsimplifier.engine.model.ArchitectureSummary} lists layers with shapes,
 *       parameters, FLOPs and whether their kernels can be pruned.
 * </ul>
 *
 * <p>Plain Java with Deeplearning4j/ND4J only: no Spring, JDBC or servlet types. Problems with a
 * user's file surface as {@link org.cnnsimplifier.engine.InvalidModelException}; DL4J exceptions
 * never escape. The package asks {@code engine.surgery} whether a convolution's kernels can be
 * removed; nothing else of the engine is used here. ONNX protobufs are nd4j-api's generated {@code
 * onnx.Onnx} classes; HDF5 is written with the bytedeco HDF5 bindings DL4J's Keras import uses.
 */
package org.cnnsimplifier.engine.model;
