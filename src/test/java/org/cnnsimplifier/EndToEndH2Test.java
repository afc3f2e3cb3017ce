package org.cnnsimplifier;

/** {@link EndToEndTest} on the embedded default: H2 and the file-system blob store. */
class EndToEndH2Test extends EndToEndTest {}
