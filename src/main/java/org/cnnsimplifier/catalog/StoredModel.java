package org.cnnsimplifier.catalog;

import java.time.Instant;
import java.util.UUID;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.system.Owner;

/**
 * An uploaded model as the catalog keeps it. Its bytes are in the blob store under {@code blobKey};
 * {@link Catalog#loadModel} turns it into an engine model.
 *
 * @param id the model's id
 * @param owner who uploaded it; only this owner sees it
 * @param name the name given at upload (or the file's name)
 * @param format the file format
 * @param sizeBytes the file's length
 * @param sha256 the file's SHA-256, lower-case hex
 * @param blobKey where the file is in the blob store
 * @param inputShape the input shape read or inferred at upload (also the hint for later reads)
 * @param architecture the layers with shapes, parameters, FLOPs and which can be pruned
 * @param createdAt when it was uploaded
 */
public record StoredModel(
    UUID id,
    Owner owner,
    String name,
    ModelFormat format,
    long sizeBytes,
    String sha256,
    String blobKey,
    InputShape inputShape,
    ArchitectureSummary architecture,
    Instant createdAt) {}
