package org.cnnsimplifier.engine;

/**
 * A run stopped at the start of a layer because its {@link KernelReview} has not decided yet. The
 * layers before it are done and were checkpointed; the request carries what a person needs to
 * decide (the current model, the remaining kernels, the suggestion).
 */
public class ReviewPendingException extends RuntimeException {
  private final transient KernelReview.Request request;

  public ReviewPendingException(KernelReview.Request request) {
    super("waiting for a decision on layer '" + request.layer() + "'");
    this.request = request;
  }

  public KernelReview.Request request() {
    return request;
  }
}
