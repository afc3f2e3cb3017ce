/**
 * Keras 2 HDF5 out: {@link org.cnnsimplifier.engine.model.keras.KerasExport} writes a DL4J network
 * as the file {@code keras.models.load_model} reads, channels-last, in the layout Keras itself
 * writes. Reading Keras files is DL4J's Keras import ({@code engine.model.KerasFiles}). Uses the
 * bytedeco HDF5 bindings and {@code engine.model}; no Spring or JDBC.
 */
package org.cnnsimplifier.engine.model.keras;
