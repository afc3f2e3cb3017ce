package org.cnnsimplifier.engine;

import java.util.List;
import java.util.Optional;
import org.cnnsimplifier.engine.model.CnnModel;

/**
 * The subjective criterion's hook: before kernels are eliminated from a layer, a person (or
 * anything else) may decide which go instead of the plan's criterion and policy, whose choice is
 * offered as the suggestion. Deciding nothing yet pauses the run at that layer ({@link
 * ReviewPendingException}); it is resumed from the last checkpoint once a decision exists.
 */
@FunctionalInterface
public interface KernelReview {

  /** Takes the criterion's suggestion every time: the objective method. */
  KernelReview NONE = request -> Optional.of(new Decision(request.suggestion(), null));

  /** The kernels to eliminate from the layer, or empty to pause the run here. */
  Optional<Decision> decide(Request request);

  /**
   * A layer awaiting a decision.
   *
   * @param layer the layer's name
   * @param layerIndex its 0-based position among the plan's layers
   * @param layers how many layers the plan simplifies
   * @param model the model as it is now (earlier layers simplified and retrained)
   * @param remaining the original indices of the layer's kernels still present
   * @param suggestion the original indices the plan's criterion and policy would remove
   * @param scores the criterion's score of each remaining kernel, in the order of {@code remaining}
   *     (null for a manual plan)
   */
  record Request(
      String layer,
      int layerIndex,
      int layers,
      CnnModel model,
      List<Integer> remaining,
      List<Integer> suggestion,
      double[] scores) {}

  /**
   * A decision.
   *
   * @param kernels original indices of the kernels to eliminate (at least one must remain)
   * @param decidedBy who or what decided, for the report; null keeps the criterion and policy
   */
  record Decision(List<Integer> kernels, String decidedBy) {
    public Decision {
      kernels = List.copyOf(kernels);
    }
  }
}
