package org.cnnsimplifier.engine.model;

/** The file format a model came in; a simplified model is written back in a DL4J zip. */
public enum ModelFormat {
  /** A Deeplearning4j model zip (ModelSerializer), MultiLayerNetwork or ComputationGraph. */
  DL4J_ZIP,
  /** A Keras HDF5 file (Sequential or functional), imported with deeplearning4j-modelimport. */
  KERAS_H5
}
