/**
 * Image data sets for training and evaluating CNNs, streamed from disk.
 *
 * <p>{@link org.cnnsimplifier.engine.data.ImageDatasets#open} reads a folder or zip of class
 * folders (PNG/JPEG, optional train/val/test split folders) or MNIST-style IDX files, and gives an
 * {@link org.cnnsimplifier.engine.data.ImageDataset}: seeded, stratified train/validation splits
 * and, when asked and the data has no test split, a held-out test slice; DL4J {@code
 * DataSetIterator}s of NCHW float32 batches with one-hot labels, optional resizing and gray/RGB
 * conversion to a model's input shape, the model's input preprocessing (scale, per-channel mean and
 * std, RGB/BGR; by default values in [0, 1]) applied to every batch, and a check that a model fits
 * the data. Only an index (paths or file offsets, and labels) is held in memory; images are decoded
 * per batch, or — for class folders, with {@link org.cnnsimplifier.engine.data.DecodeOptions}
 * naming a store directory — once into a memory-mapped tensor store of 8-bit images in the data
 * set's shape and channel order, shared by every data set opened from the same source alike. Class
 * folders are decoded with OpenCV where its natives load, {@code javax.imageio} otherwise.
 *
 * <p>Untrusted input is expected: archives are extracted with checked paths and bounded size and
 * entry count, and every problem is an {@link org.cnnsimplifier.engine.InvalidDatasetException} or
 * {@link org.cnnsimplifier.engine.DatasetMismatchException} with a message for the user. Temporary
 * files are deleted on close and on any failure to open.
 *
 * <p>May use: the JDK ({@code javax.imageio}, {@code java.util.zip}, NIO), ND4J for the batch
 * arrays, OpenCV (JavaCPP's preset, as DataVec's image module brings it) for decoding, and {@code
 * org.cnnsimplifier.engine} and its {@code model} package. No Spring, JDBC or servlet types.
 */
package org.cnnsimplifier.engine.data;
