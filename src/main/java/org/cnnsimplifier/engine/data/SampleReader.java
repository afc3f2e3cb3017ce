package org.cnnsimplifier.engine.data;

import java.io.Closeable;

/** Reads one sample of a data set, by its index, into a batch buffer. */
interface SampleReader extends Closeable {

  /**
   * Writes sample {@code index}, in the data set's tensor shape and channel-major, to {@code
   * dest[offset …]}.
   */
  void read(int index, float[] dest, int offset);

  @Override
  void close();
}
