package org.cnnsimplifier.engine.plan;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * How retraining runs: how much (the budget), with which optimiser and schedule, and the optional
 * mechanisms around it (distillation, augmentation, early stopping, optimiser state carried from
 * stage to stage).
 *
 * <p><b>One budget meaning.</b> With a {@link Budget}, the run trains that many batches in total,
 * whatever the strategy, and divides them among its stages:
 *
 * <ul>
 *   <li>a share {@code fineTuneShare} goes to a final fine-tune of the whole model (PROGRESSIVE,
 *       ITERATIVE_FULL); ONE_SHOT has only that fine-tune and spends the whole budget in it;
 *   <li>the rest goes to the layers by {@link Split}: evenly, or by the share of parameters or
 *       FLOPs that each layer's elimination removes (measured on the original model);
 *   <li>ITERATIVE_FULL divides a layer's share evenly among its steps.
 * </ul>
 *
 * Shares are rounded so that they add up to the budget exactly. Without a budget, {@code epochs} is
 * the legacy (deprecated) setting: every stage (a PROGRESSIVE layer, an ITERATIVE_FULL step, the
 * ONE_SHOT fine-tune) trains {@code epochs} epochs, i.e. a budget of {@code epochs × stages} epochs
 * split evenly — what {@code epochs} always meant. Split and fine-tune share need a budget.
 *
 * <p>An epoch is one pass over the training split, capped by {@code maxBatchesPerEpoch}. Early
 * stopping may end a stage before its share is spent; the report says what each stage trained.
 *
 * @param epochs legacy: epochs per stage when there is no budget (0 = no retraining)
 * @param batchSize images per batch
 * @param learningRate the optimiser's (peak) learning rate
 * @param maxBatchesPerEpoch stop an epoch after this many batches (0 = the whole split)
 * @param budget total retraining of the run, or null for the legacy per-stage {@code epochs}
 * @param optimizer the optimiser and its weight decay
 * @param schedule the learning rate within each stage
 * @param split how the budget is divided among the layers
 * @param fineTuneShare the share of the budget for a final whole-model fine-tune, in [0, 1)
 * @param carryOptimizerState PROGRESSIVE/ITERATIVE_FULL: one optimiser whose state (Adam's moments,
 *     the momentum) carries from stage to stage for the parameters that still exist, instead of
 *     fresh state at every stage
 * @param distillation knowledge distillation from the original model, or null
 * @param augmentation light image augmentation of training batches, or null (off)
 * @param earlyStopping early stopping on validation accuracy, or null (off)
 * @param checkpointEveryBatches during a whole-model fine-tune, a checkpoint every this many
 *     batches (0 = only at its start)
 */
public record Retraining(
    int epochs,
    int batchSize,
    double learningRate,
    int maxBatchesPerEpoch,
    Budget budget,
    Optimizer optimizer,
    Schedule schedule,
    Split split,
    double fineTuneShare,
    boolean carryOptimizerState,
    Distillation distillation,
    Augmentation augmentation,
    EarlyStopping earlyStopping,
    int checkpointEveryBatches) {

  /** Batches between checkpoints of a fine-tune by default. */
  public static final int DEFAULT_CHECKPOINT_EVERY = 500;

  public Retraining {
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
    }
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
    }
    if (!(learningRate > 0) || learningRate > 1) {
      throw new IllegalArgumentException("learningRate must be in (0, 1], got " + learningRate);
    }
    if (maxBatchesPerEpoch < 0) {
      throw new IllegalArgumentException(
          "maxBatchesPerEpoch must be >= 0, got " + maxBatchesPerEpoch);
    }
    optimizer = optimizer == null ? Optimizer.adam() : optimizer;
    schedule = schedule == null ? Schedule.constant() : schedule;
    split = split == null ? Split.EVEN : split;
    if (!(fineTuneShare >= 0) || fineTuneShare >= 1) {
      throw new IllegalArgumentException("fineTuneShare must be in [0, 1), got " + fineTuneShare);
    }
    if (budget == null && split != Split.EVEN) {
      throw new IllegalArgumentException("split " + split + " needs a budget");
    }
    if (budget == null && fineTuneShare > 0) {
      throw new IllegalArgumentException("fineTuneShare needs a budget");
    }
    if (checkpointEveryBatches < 0) {
      throw new IllegalArgumentException(
          "checkpointEveryBatches must be >= 0, got " + checkpointEveryBatches);
    }
  }

  /** The legacy settings: {@code epochs} per stage, Adam, constant rate, nothing else. */
  public Retraining(int epochs, int batchSize, double learningRate, int maxBatchesPerEpoch) {
    this(
        epochs,
        batchSize,
        learningRate,
        maxBatchesPerEpoch,
        null,
        Optimizer.adam(),
        Schedule.constant(),
        Split.EVEN,
        0,
        false,
        null,
        null,
        null,
        DEFAULT_CHECKPOINT_EVERY);
  }

  /** The legacy settings: one epoch per stage, batch 64, Adam 1e-3, whole split. */
  public static Retraining defaults() {
    return new Retraining(1, 64, 1e-3, 0);
  }

  /**
   * The settings the strategy comparison benchmark chose, the same for every strategy: a total
   * budget of 2 epochs, Adam 1e-3 at batch 64 with a cosine decay in every stage, a quarter of the
   * budget for a final whole-model fine-tune and the rest split evenly among the layers (a split by
   * FLOPs measured no better), one optimiser state carried across the stages, and distillation from
   * the original model (α 0.5, T 4). ONE_SHOT, which has a single stage, uses the schedule and the
   * distillation. The service's job defaults are these.
   */
  public static Retraining recommended() {
    return new Retraining(
        1,
        64,
        1e-3,
        0,
        Budget.epochs(2),
        Optimizer.adam(),
        new Schedule(Schedule.Shape.COSINE, 0),
        Split.EVEN,
        0.25,
        true,
        new Distillation(0.5, 4),
        null,
        null,
        DEFAULT_CHECKPOINT_EVERY);
  }

  /** Whether this retrains at all. */
  public boolean trains() {
    return budget == null ? epochs > 0 : budget.amount() > 0;
  }

  /** The total budget in batches, given the batches of one epoch; null without a budget. */
  public Long budgetBatches(long batchesPerEpoch) {
    return budget == null ? null : budget.inBatches(batchesPerEpoch);
  }

  public Retraining withEpochs(int newEpochs) {
    return edit(c -> c.epochs = newEpochs);
  }

  public Retraining withLearningRate(double rate) {
    return edit(c -> c.learningRate = rate);
  }

  public Retraining withBudget(Budget newBudget) {
    return edit(c -> c.budget = newBudget);
  }

  public Retraining withOptimizer(Optimizer newOptimizer) {
    return edit(c -> c.optimizer = newOptimizer);
  }

  public Retraining withSchedule(Schedule newSchedule) {
    return edit(c -> c.schedule = newSchedule);
  }

  public Retraining withSplit(Split newSplit) {
    return edit(c -> c.split = newSplit);
  }

  public Retraining withFineTuneShare(double share) {
    return edit(c -> c.fineTuneShare = share);
  }

  public Retraining withCarryOptimizerState(boolean carry) {
    return edit(c -> c.carryOptimizerState = carry);
  }

  public Retraining withDistillation(Distillation newDistillation) {
    return edit(c -> c.distillation = newDistillation);
  }

  public Retraining withAugmentation(Augmentation newAugmentation) {
    return edit(c -> c.augmentation = newAugmentation);
  }

  public Retraining withEarlyStopping(EarlyStopping newEarlyStopping) {
    return edit(c -> c.earlyStopping = newEarlyStopping);
  }

  public Retraining withCheckpointEveryBatches(int batches) {
    return edit(c -> c.checkpointEveryBatches = batches);
  }

  /** A copy with one change; the with-methods go through it. */
  private Retraining edit(Consumer<Copy> change) {
    Copy copy = new Copy(this);
    change.accept(copy);
    return copy.build();
  }

  /** The components as mutable fields. */
  private static final class Copy {
    int epochs;
    int batchSize;
    double learningRate;
    int maxBatchesPerEpoch;
    Budget budget;
    Optimizer optimizer;
    Schedule schedule;
    Split split;
    double fineTuneShare;
    boolean carryOptimizerState;
    Distillation distillation;
    Augmentation augmentation;
    EarlyStopping earlyStopping;
    int checkpointEveryBatches;

    Copy(Retraining r) {
      epochs = r.epochs;
      batchSize = r.batchSize;
      learningRate = r.learningRate;
      maxBatchesPerEpoch = r.maxBatchesPerEpoch;
      budget = r.budget;
      optimizer = r.optimizer;
      schedule = r.schedule;
      split = r.split;
      fineTuneShare = r.fineTuneShare;
      carryOptimizerState = r.carryOptimizerState;
      distillation = r.distillation;
      augmentation = r.augmentation;
      earlyStopping = r.earlyStopping;
      checkpointEveryBatches = r.checkpointEveryBatches;
    }

    Retraining build() {
      return new Retraining(
          epochs,
          batchSize,
          learningRate,
          maxBatchesPerEpoch,
          budget,
          optimizer,
          schedule,
          split,
          fineTuneShare,
          carryOptimizerState,
          distillation,
          augmentation,
          earlyStopping,
          checkpointEveryBatches);
    }
  }

  /** A total amount of retraining, in epochs (may be fractional) or batches. */
  public record Budget(double amount, Unit unit) {
    public enum Unit {
      EPOCHS,
      BATCHES
    }

    public Budget {
      Objects.requireNonNull(unit, "unit");
      if (!(amount >= 0) || Double.isInfinite(amount)) {
        throw new IllegalArgumentException("budget must be >= 0, got " + amount);
      }
      if (unit == Unit.BATCHES && amount != Math.rint(amount)) {
        throw new IllegalArgumentException("a budget in batches must be whole, got " + amount);
      }
    }

    public static Budget epochs(double epochs) {
      return new Budget(epochs, Unit.EPOCHS);
    }

    public static Budget batches(long batches) {
      return new Budget(batches, Unit.BATCHES);
    }

    /** The budget in batches; epochs are rounded to the nearest batch. */
    public long inBatches(long batchesPerEpoch) {
      return unit == Unit.BATCHES ? (long) amount : Math.round(amount * batchesPerEpoch);
    }
  }

  /**
   * The optimiser.
   *
   * @param kind ADAM (weight decay as L2 regularisation of the weights), ADAMW (Adam with decoupled
   *     weight decay) or SGD
   * @param weightDecay decay coefficient of the weights (not the biases); 0 = none
   * @param momentum SGD only: Nesterov momentum (DL4J's Nesterovs), 0 = plain SGD
   */
  public record Optimizer(Kind kind, double weightDecay, double momentum) {
    public enum Kind {
      ADAM,
      ADAMW,
      SGD
    }

    public Optimizer {
      Objects.requireNonNull(kind, "kind");
      if (!(weightDecay >= 0) || weightDecay >= 1) {
        throw new IllegalArgumentException("weightDecay must be in [0, 1), got " + weightDecay);
      }
      if (!(momentum >= 0) || momentum >= 1) {
        throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
      }
      if (momentum > 0 && kind != Kind.SGD) {
        throw new IllegalArgumentException("momentum applies to SGD only");
      }
    }

    public static Optimizer adam() {
      return new Optimizer(Kind.ADAM, 0, 0);
    }
  }

  /**
   * The learning rate within a stage: a linear warm-up over the first {@code warmupBatches}
   * batches, then constant or a cosine decay to zero at the stage's last batch. Every stage (layer,
   * step, fine-tune) starts the schedule again.
   */
  public record Schedule(Shape shape, int warmupBatches) {
    public enum Shape {
      CONSTANT,
      COSINE
    }

    public Schedule {
      Objects.requireNonNull(shape, "shape");
      if (warmupBatches < 0) {
        throw new IllegalArgumentException("warmupBatches must be >= 0, got " + warmupBatches);
      }
    }

    public static Schedule constant() {
      return new Schedule(Shape.CONSTANT, 0);
    }

    /**
     * The rate at batch {@code index} (0-based) of a stage of {@code batches} batches, for a peak
     * rate {@code rate}.
     */
    public double rate(double rate, long index, long batches) {
      if (index < warmupBatches) {
        return rate * (index + 1) / warmupBatches;
      }
      if (shape == Shape.CONSTANT) {
        return rate;
      }
      long decay = Math.max(1, batches - warmupBatches);
      double progress = Math.min(1.0, (double) (index - warmupBatches) / decay);
      return rate * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
  }

  /** How a budget is divided among the layers. */
  public enum Split {
    /** The same number of batches for each layer. */
    EVEN,
    /** In proportion to the parameters each layer's elimination removes. */
    PARAMS,
    /** In proportion to the FLOPs each layer's elimination removes. */
    FLOPS
  }

  /**
   * Knowledge distillation from the original model: the loss is {@code (1−α)·CE(labels) +
   * α·T²·KL(softmax(teacher/T) ‖ softmax(student/T))} on the logits, the teacher's computed on the
   * same (augmented) batches. α = 0 trains exactly as without distillation.
   */
  public record Distillation(double alpha, double temperature) {
    public Distillation {
      if (!(alpha >= 0) || alpha > 1) {
        throw new IllegalArgumentException("distillation alpha must be in [0, 1], got " + alpha);
      }
      if (!(temperature > 0) || temperature > 100) {
        throw new IllegalArgumentException(
            "distillation temperature must be in (0, 100], got " + temperature);
      }
    }
  }

  /**
   * Light augmentation of training images, seeded: a random shift of up to {@code padding} pixels
   * each way (a random crop of the image padded with zeros) and, with {@code flip}, a horizontal
   * flip of half the images.
   */
  public record Augmentation(int padding, boolean flip) {
    public Augmentation {
      if (padding < 0 || padding > 64) {
        throw new IllegalArgumentException("padding must be in [0, 64], got " + padding);
      }
    }
  }

  /**
   * Early stopping: validation accuracy is measured at a stage's start and every {@code
   * everyBatches} batches; after {@code patience} measurements without improvement the stage stops,
   * and the best measured parameters are restored at its end.
   */
  public record EarlyStopping(int patience, int everyBatches) {
    public EarlyStopping {
      if (patience < 1) {
        throw new IllegalArgumentException("patience must be >= 1, got " + patience);
      }
      if (everyBatches < 1) {
        throw new IllegalArgumentException("everyBatches must be >= 1, got " + everyBatches);
      }
    }
  }
}
