package org.cnnsimplifier.support;

/**
 * The service with the {@code postgres} profile against the test PostgreSQL (skipped without one).
 * Subclasses add {@code @SpringBootTest(webEnvironment = RANDOM_PORT, properties = …)}.
 */
@OnPostgres
public abstract class PostgresServiceTest extends ServiceTest {}
