/**
 * Receiving uploads, internal to the catalog: request bodies streamed to temporary workspaces while
 * hashed and counted against the size limit (413), file types told by magic bytes, model zips
 * checked against zip bombs, IDX parts zipped into one data set. Uses {@code system} for errors and
 * the engine's archive rules (entry names, expansion limits, temporary files); nothing of the
 * database or the blob store.
 */
package org.cnnsimplifier.catalog.upload;
