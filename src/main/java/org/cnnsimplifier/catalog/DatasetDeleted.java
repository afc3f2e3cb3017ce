package org.cnnsimplifier.catalog;

import java.util.UUID;

/** Published once a data set's row and blob are deleted, for what other modules keep of it. */
public record DatasetDeleted(UUID id) {}
