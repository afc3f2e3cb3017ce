/**
 * The catalog: uploads of models and image data sets, their metadata and their validation by the
 * engine, under {@code /api/v1/models} and {@code /api/v1/datasets}.
 *
 * <p>API for other modules: {@link org.cnnsimplifier.catalog.Catalog} (find an owner's {@link
 * org.cnnsimplifier.catalog.StoredModel} or {@link org.cnnsimplifier.catalog.StoredDataset}, load
 * it as an engine object) and {@link org.cnnsimplifier.catalog.UploadProperties}. Everything else
 * is internal; {@code upload} receives request bodies (size limit, hashing, type sniffing, zip
 * checks) and knows nothing of models beyond their file types.
 *
 * <p>An upload is stored only once it passed every check: the blob is put, then the row inserted; a
 * failed insert deletes the blob, and temporary files are always deleted.
 *
 * <p>May use: {@code engine} (reading and summarising models and data sets), {@code storage} (the
 * blob store), {@code system} (owners, errors, clock), and the {@code job} table read-only (a model
 * or data set in use by an unfinished job cannot be deleted).
 */
package org.cnnsimplifier.catalog;
