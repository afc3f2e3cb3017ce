package org.cnnsimplifier.jobs;

/** {@link ReviewFlowTest} on the embedded default: H2 and the file-system blob store. */
class ReviewFlowH2Test extends ReviewFlowTest {}
