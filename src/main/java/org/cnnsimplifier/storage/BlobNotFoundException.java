package org.cnnsimplifier.storage;

import java.io.FileNotFoundException;

/** A blob key that names nothing (deleted, or written by another store). */
public class BlobNotFoundException extends FileNotFoundException {

  public BlobNotFoundException(String key) {
    super("no blob " + key);
  }
}
