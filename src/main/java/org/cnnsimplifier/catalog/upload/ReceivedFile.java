package org.cnnsimplifier.catalog.upload;

import java.nio.file.Path;

/**
 * A file received into an {@link UploadWorkspace}.
 *
 * @param path where it is, inside the workspace (gone when the workspace is closed)
 * @param sizeBytes its length
 * @param sha256 the SHA-256 of its content, lower-case hex
 * @param type what its first bytes say it is
 * @param fileName the (sanitised) name it was sent with; the engine names files in its messages
 */
public record ReceivedFile(
    Path path, long sizeBytes, String sha256, FileType type, String fileName) {}
