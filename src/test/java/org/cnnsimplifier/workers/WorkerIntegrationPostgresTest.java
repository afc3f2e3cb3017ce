package org.cnnsimplifier.workers;

import org.cnnsimplifier.support.OnPostgres;

/**
 * {@link WorkerIntegrationTest} with the {@code postgres} profile on the test PostgreSQL (skipped
 * without).
 */
@OnPostgres
class WorkerIntegrationPostgresTest extends WorkerIntegrationTest {}
