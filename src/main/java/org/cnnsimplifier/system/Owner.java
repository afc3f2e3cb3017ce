package org.cnnsimplifier.system;

/**
 * Who makes a request: the owner its API key belongs to. Every model, data set and job has one
 * owner and is visible to that owner only.
 */
public record Owner(String name) {

  /** The owner of everything when the service runs without API keys. */
  public static final Owner ANONYMOUS = new Owner("anonymous");
}
