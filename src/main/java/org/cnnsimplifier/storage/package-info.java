/**
 * The blob store: the bytes of uploaded models and data sets, checkpoints and results, on the file
 * system or in the database, behind {@link org.cnnsimplifier.storage.BlobStore}. Knows nothing of
 * what the bytes mean.
 */
package org.cnnsimplifier.storage;
