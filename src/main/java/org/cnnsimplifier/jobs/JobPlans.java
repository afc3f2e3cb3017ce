package org.cnnsimplifier.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.criteria.Criterion;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.system.ApiException;

/** Turns a job's spec into the engine's plan, naming the field when a value does not fit. */
public final class JobPlans {
  private JobPlans() {}

  /**
   * The engine plan for a spec.
   *
   * @throws ApiException 400 with field errors when the spec is inconsistent
   */
  public static SimplificationPlan toPlan(JobSpec spec) {
    Map<String, String> errors = new LinkedHashMap<>();
    EliminationPolicy policy = policy(spec.policy(), errors);
    Criterion criterion = criterion(spec, errors);
    if (criterion == null
        && !errors.containsKey("criterion")
        && !(policy instanceof EliminationPolicy.Manual)) {
      errors.put("criterion", "a criterion is required unless the policy is manual");
    }
    if (!List.of("WAIT", "APPLY_SUGGESTION").contains(spec.onReviewTimeout())) {
      errors.put("onReviewTimeout", "must be WAIT or APPLY_SUGGESTION");
    }
    if (spec.reviewTimeout() != null
        && (spec.reviewTimeout().isNegative() || spec.reviewTimeout().isZero())) {
      errors.put("reviewTimeout", "must be a positive ISO-8601 duration such as PT2H");
    }
    if (!errors.isEmpty()) {
      throw ApiException.badRequest("the job specification is not valid", errors);
    }
    JobSpec.RetrainingSpec r = spec.retraining();
    return new SimplificationPlan(
        spec.layers(),
        criterion,
        spec.strategy(),
        policy,
        new Retraining(r.epochs(), r.batchSize(), r.learningRate(), r.maxBatchesPerEpoch()),
        spec.seed(),
        spec.scoringImages(),
        spec.iterativeStep());
  }

  /** The engine criterion: the named one, or the suggestion's for a subjective job. */
  private static Criterion criterion(JobSpec spec, Map<String, String> errors) {
    if (spec.criterion() == null) {
      return spec.review() ? spec.suggestionCriterion() : null;
    }
    if ("SUBJECTIVE".equals(spec.criterion())) {
      return spec.suggestionCriterion();
    }
    try {
      return Criterion.valueOf(spec.criterion());
    } catch (IllegalArgumentException e) {
      errors.put(
          "criterion",
          "must be one of "
              + java.util.Arrays.toString(Criterion.values())
              + " or SUBJECTIVE, got '"
              + spec.criterion()
              + "'");
      return null;
    }
  }

  private static EliminationPolicy policy(JobSpec.PolicySpec p, Map<String, String> errors) {
    try {
      switch (p.type()) {
        case "ratio" -> {
          if (p.ratio() == null) {
            errors.put("policy.ratio", "required for a ratio policy, in [0, 1)");
            return null;
          }
          if (p.perLayer() != null) {
            p.perLayer().entrySet().stream()
                .filter(entry -> entry.getValue() == null)
                .forEach(
                    entry ->
                        errors.put(
                            "policy.perLayer." + entry.getKey(), "must be a ratio in [0, 1)"));
          }
          if (errors.keySet().stream().anyMatch(key -> key.startsWith("policy."))) {
            return null;
          }
          return new EliminationPolicy.Ratio(
              p.ratio(), p.perLayer() == null ? Map.of() : p.perLayer());
        }
        case "threshold" -> {
          if (p.threshold() == null) {
            errors.put("policy.threshold", "required for a threshold policy, in [0, 1]");
            return null;
          }
          return new EliminationPolicy.Threshold(p.threshold());
        }
        case "maxAccuracyDrop" -> {
          if (p.maxDrop() == null) {
            errors.put("policy.maxDrop", "required for a maxAccuracyDrop policy, in [0, 1]");
            return null;
          }
          return new EliminationPolicy.MaxAccuracyDrop(p.maxDrop());
        }
        case "manual" -> {
          if (p.kernels() == null || p.kernels().isEmpty()) {
            errors.put("policy.kernels", "required for a manual policy: layer -> kernel indices");
            return null;
          }
          p.kernels().entrySet().stream()
              .filter(entry -> entry.getValue() == null || entry.getValue().contains(null))
              .forEach(
                  entry ->
                      errors.put(
                          "policy.kernels." + entry.getKey(), "must be a list of kernel indices"));
          if (errors.keySet().stream().anyMatch(key -> key.startsWith("policy.kernels."))) {
            return null;
          }
          return new EliminationPolicy.Manual(p.kernels());
        }
        case "target" -> {
          return target(p, errors);
        }
        default -> {
          errors.put(
              "policy.type", "must be one of ratio, threshold, maxAccuracyDrop, manual, target");
          return null;
        }
      }
    } catch (IllegalArgumentException e) {
      errors.put("policy", e.getMessage());
      return null;
    }
  }

  private static EliminationPolicy target(JobSpec.PolicySpec p, Map<String, String> errors) {
    if (p.params() == null && p.flops() == null && p.latencyMs() == null) {
      errors.put(
          "policy.params",
          "a target policy needs params, flops or latencyMs: the share of parameters or FLOPs to"
              + " keep, in (0, 1], e.g. 0.25, or a time in ms at batchSize");
      return null;
    }
    fraction("policy.params", p.params(), errors);
    fraction("policy.flops", p.flops(), errors);
    if (p.latencyMs() != null && !(p.latencyMs() > 0 && Double.isFinite(p.latencyMs()))) {
      errors.put("policy.latencyMs", "must be a time in milliseconds > 0");
    }
    if (p.batchSize() != null && p.latencyMs() == null) {
      errors.put("policy.batchSize", "is the batch of latencyMs; give latencyMs too");
    }
    if (p.ratio() != null
        || p.perLayer() != null
        || p.threshold() != null
        || p.maxDrop() != null
        || p.kernels() != null) {
      errors.put(
          "policy",
          "a target policy chooses the ratios itself; remove ratio, perLayer, threshold,"
              + " maxDrop and kernels");
    }
    if (errors.keySet().stream().anyMatch(key -> key.startsWith("policy"))) {
      return null;
    }
    return new EliminationPolicy.Target(
        p.params(),
        p.flops(),
        p.latencyMs(),
        p.batchSize() == null ? 1 : p.batchSize(),
        p.images() == null ? EliminationPolicy.Target.DEFAULT_IMAGES : p.images());
  }

  private static void fraction(String field, Double value, Map<String, String> errors) {
    if (value != null && !(value > 0 && value <= 1)) {
      errors.put(
          field, "the share kept must be in (0, 1], e.g. 0.25 keeps a quarter; got " + value);
    }
  }
}
