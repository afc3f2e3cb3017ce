package org.cnnsimplifier.catalog.upload;

import org.springframework.core.io.InputStreamSource;

/**
 * An upload as the controller hands it over, before anything is read: a raw request body or one
 * multipart part.
 *
 * @param fileName the name the client gave (multipart filename or Content-Disposition), may be null
 * @param contentType the declared Content-Type, may be null
 * @param body where the bytes come from; opened once
 * @param declaredLength the Content-Length or part size when known, else -1
 */
public record IncomingFile(
    String fileName, String contentType, InputStreamSource body, long declaredLength) {}
