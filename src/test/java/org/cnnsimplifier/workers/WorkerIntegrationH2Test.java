package org.cnnsimplifier.workers;

/** {@link WorkerIntegrationTest} on the embedded default: H2 and the file-system blob store. */
class WorkerIntegrationH2Test extends WorkerIntegrationTest {}
