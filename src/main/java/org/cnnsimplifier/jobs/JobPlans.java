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
    Retraining retraining = retraining(spec.retraining(), errors);
    if (!errors.isEmpty()) {
      throw ApiException.badRequest("the job specification is not valid", errors);
    }
    return new SimplificationPlan(
        spec.layers(),
        criterion,
        spec.strategy(),
        policy,
        retraining,
        spec.seed(),
        spec.scoringImages(),
        spec.iterativeStep());
  }

  /** The engine's retraining settings, or null with the reasons in {@code errors}. */
  static Retraining retraining(JobSpec.RetrainingSpec r, Map<String, String> errors) {
    int before = errors.size();
    Retraining.Budget budget = null;
    if (r.budget() != null) {
      JobSpec.BudgetSpec b = r.budget();
      if ((b.epochs() == null) == (b.batches() == null)) {
        errors.put(
            "retraining.budget",
            "give epochs or batches, one of them, e.g. {\"epochs\":2} or {\"batches\":1688}");
      } else if (b.epochs() != null && !(b.epochs() >= 0)) {
        errors.put("retraining.budget.epochs", "must be >= 0");
      } else if (b.batches() != null && b.batches() < 0) {
        errors.put("retraining.budget.batches", "must be >= 0");
      } else {
        budget =
            b.epochs() != null
                ? Retraining.Budget.epochs(b.epochs())
                : Retraining.Budget.batches(b.batches());
      }
      if (r.epochs() != null) {
        errors.put(
            "retraining.epochs", "give budget or the deprecated epochs, not both; prefer budget");
      }
    }
    Retraining.Optimizer.Kind kind =
        choice("retraining.optimizer", r.optimizer(), Retraining.Optimizer.Kind.class, errors);
    Retraining.Schedule.Shape shape =
        choice("retraining.schedule", r.schedule(), Retraining.Schedule.Shape.class, errors);
    Retraining.Split split = choice("retraining.split", r.split(), Retraining.Split.class, errors);
    if (r.momentum() > 0 && kind != null && kind != Retraining.Optimizer.Kind.SGD) {
      errors.put("retraining.momentum", "applies to the SGD optimizer only");
    }
    boolean noBudget = r.budget() == null;
    if (noBudget && split != null && split != Retraining.Split.EVEN) {
      errors.put("retraining.split", "needs a budget: give retraining.budget");
    }
    if (noBudget && r.fineTuneShare() > 0) {
      errors.put("retraining.fineTuneShare", "needs a budget: give retraining.budget");
    }
    if (errors.size() > before) {
      return null;
    }
    try {
      JobSpec.DistillationSpec d = r.distillation();
      JobSpec.AugmentationSpec a = r.augmentation();
      JobSpec.EarlyStoppingSpec e = r.earlyStopping();
      return new Retraining(
          r.epochs() == null ? 1 : r.epochs(),
          r.batchSize(),
          r.learningRate(),
          r.maxBatchesPerEpoch(),
          budget,
          new Retraining.Optimizer(kind, r.weightDecay(), r.momentum()),
          new Retraining.Schedule(shape, r.warmupBatches()),
          split,
          r.fineTuneShare(),
          r.carryOptimizerState(),
          distillation(d),
          a == null ? null : new Retraining.Augmentation(a.padding(), a.flip()),
          e == null ? null : new Retraining.EarlyStopping(e.patience(), e.everyBatches()),
          r.checkpointEveryBatches());
    } catch (IllegalArgumentException e) {
      errors.put("retraining", e.getMessage());
      return null;
    }
  }

  /**
   * The distillation of a job's settings: the recommended one when the job names none, off when its
   * alpha is 0 (no teacher is kept or run).
   */
  private static Retraining.Distillation distillation(JobSpec.DistillationSpec d) {
    if (d == null) {
      return Retraining.recommended().distillation();
    }
    return d.alpha() == 0 ? null : new Retraining.Distillation(d.alpha(), d.temperature());
  }

  private static <E extends Enum<E>> E choice(
      String field, String value, Class<E> type, Map<String, String> errors) {
    try {
      return Enum.valueOf(type, value);
    } catch (IllegalArgumentException e) {
      errors.put(
          field,
          "must be one of "
              + java.util.Arrays.toString(type.getEnumConstants())
              + ", got '"
              + value
              + "'");
      return null;
    }
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
