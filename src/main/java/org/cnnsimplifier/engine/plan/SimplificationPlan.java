package org.cnnsimplifier.engine.plan;

import java.util.List;
import java.util.Objects;
import org.cnnsimplifier.engine.criteria.Criterion;

/**
 * Everything a simplification run needs besides the model and the data; the same plan and seed give
 * the same result.
 *
 * @param layers layers (or groups) to simplify, in order; a member of a group stands for its group;
 *     empty means every prunable group, first to last
 * @param criterion how kernels are scored; may be null only with a {@link EliminationPolicy.Manual}
 *     policy
 * @param strategy how elimination and retraining alternate
 * @param policy which kernels go, given the scores
 * @param retraining epochs, batch, learning rate
 * @param seed seeds the data order, dropout and every other random choice
 * @param scoringImages images from the validation split that data-driven criteria read
 * @param iterativeStep kernels removed per step with {@link Strategy#ITERATIVE_FULL}
 */
public record SimplificationPlan(
    List<String> layers,
    Criterion criterion,
    Strategy strategy,
    EliminationPolicy policy,
    Retraining retraining,
    long seed,
    int scoringImages,
    int iterativeStep) {

  public SimplificationPlan {
    layers = List.copyOf(layers);
    Objects.requireNonNull(strategy, "strategy");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(retraining, "retraining");
    if (criterion == null && !(policy instanceof EliminationPolicy.Manual)) {
      throw new IllegalArgumentException("a criterion is needed unless the policy is manual");
    }
    if (scoringImages <= 0) {
      throw new IllegalArgumentException("scoringImages must be > 0, got " + scoringImages);
    }
    if (iterativeStep <= 0) {
      throw new IllegalArgumentException("iterativeStep must be > 0, got " + iterativeStep);
    }
  }

  /** The paper's setting: PROGRESSIVE, one epoch of retraining per layer. */
  public static SimplificationPlan progressive(
      Criterion criterion, EliminationPolicy policy, long seed) {
    return new SimplificationPlan(
        List.of(), criterion, Strategy.PROGRESSIVE, policy, Retraining.defaults(), seed, 512, 4);
  }

  public SimplificationPlan withLayers(List<String> newLayers) {
    return new SimplificationPlan(
        newLayers, criterion, strategy, policy, retraining, seed, scoringImages, iterativeStep);
  }

  public SimplificationPlan withStrategy(Strategy newStrategy) {
    return new SimplificationPlan(
        layers, criterion, newStrategy, policy, retraining, seed, scoringImages, iterativeStep);
  }

  public SimplificationPlan withRetraining(Retraining newRetraining) {
    return new SimplificationPlan(
        layers, criterion, strategy, policy, newRetraining, seed, scoringImages, iterativeStep);
  }

  public SimplificationPlan withPolicy(EliminationPolicy newPolicy) {
    return new SimplificationPlan(
        layers, criterion, strategy, newPolicy, retraining, seed, scoringImages, iterativeStep);
  }

  public SimplificationPlan withIterativeStep(int step) {
    return new SimplificationPlan(
        layers, criterion, strategy, policy, retraining, seed, scoringImages, step);
  }
}
