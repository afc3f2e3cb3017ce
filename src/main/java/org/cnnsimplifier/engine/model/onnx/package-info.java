/**
 * ONNX models in and out. {@link org.cnnsimplifier.engine.model.onnx.OnnxImport} turns an image
 * classifier (opset 11–17) into a trainable DL4J network of ordinary layers and vertices —
 * convolutions (plain, depthwise, transposed), batch normalisation, activations, poolings, zero
 * padding, dense layers, element-wise adds and merges — with constant shape arithmetic folded away
 * and every other operator refused by name; {@link org.cnnsimplifier.engine.model.onnx.OnnxExport}
 * writes any such network as opset 13. Uses nd4j-api's generated {@code onnx.Onnx} classes and
 * {@code engine.model}; no Spring or JDBC.
 */
package org.cnnsimplifier.engine.model.onnx;
