package org.cnnsimplifier;

import org.cnnsimplifier.support.OnPostgres;

/**
 * {@link EndToEndTest} with the {@code postgres} profile on the test PostgreSQL (skipped without).
 */
@OnPostgres
class EndToEndPostgresTest extends EndToEndTest {}
