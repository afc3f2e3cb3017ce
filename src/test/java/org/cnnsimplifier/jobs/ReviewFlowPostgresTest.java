package org.cnnsimplifier.jobs;

import org.cnnsimplifier.support.OnPostgres;

/**
 * {@link ReviewFlowTest} with the {@code postgres} profile on the test PostgreSQL (skipped
 * without).
 */
@OnPostgres
class ReviewFlowPostgresTest extends ReviewFlowTest {}
