package org.cnnsimplifier.engine.retrain;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.cnnsimplifier.engine.InvalidPlanException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.NetworkMemory;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.runtime.FastPath;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

/**
 * Retrains a model in place, optionally only up to a given layer, for a given number of batches.
 *
 * <p>Layers after the last trainable one (in topological order) are frozen exactly as they compute
 * at evaluation — batch normalisation on its running statistics and never updated, dropout off —
 * while gradients still flow through them to the earlier layers: progressive retraining. See {@link
 * TrainingGraphs} for how.
 *
 * <p>A stage trains its batches epoch after epoch: epoch {@code e} reads the training split
 * shuffled by {@code seed + e}, at most {@code maxBatchesPerEpoch} batches of it. The optimiser,
 * weight decay and learning-rate schedule are the settings'; the optimiser state is fresh unless a
 * {@link Session} carries it from stage to stage. Optional: distillation from a teacher (the
 * original model), augmentation, early stopping (see {@link Retraining}). Dropout and augmentation
 * are seeded per batch, so a stage resumed from a {@link StageProgress} ends exactly as an
 * uninterrupted one.
 */
public final class Trainer {
  private Trainer() {}

  /** Hears about a stage while it trains. */
  public interface Observer {
    Observer NONE = new Observer() {};

    /** Batches trained so far in the stage, of those planned. */
    default void onBatches(long done, long planned) {}

    /**
     * The stage's state every {@code checkpointEveryBatches} batches (when asked for by {@link
     * #wantsProgress}).
     */
    default void onProgress(StageProgress progress) {}

    default boolean wantsProgress() {
      return false;
    }
  }

  /**
   * What a stage did.
   *
   * @param batches batches trained
   * @param stoppedEarly whether early stopping ended it before its batches were spent
   */
  public record Outcome(long batches, boolean stoppedEarly) {}

  /**
   * Trains the layers up to and including {@code lastTrainable} (every layer when null) as the
   * settings say for one stage — {@code epochs} epochs, or the whole budget when there is one —
   * with fresh optimiser state, and writes the new parameters back into {@code model}.
   *
   * @return the number of batches trained
   * @throws CancelledException between batches when cancelled; the model is then unchanged
   */
  public static long train(
      CnnModel model,
      String lastTrainable,
      TrainingData data,
      Retraining settings,
      long seed,
      Cancellation cancel) {
    if (!settings.trains()) {
      return 0;
    }
    try (Session session = new Session(data, settings, null)) {
      long batches =
          settings.budget() == null
              ? settings.epochs() * session.batchesPerEpoch()
              : settings.budgetBatches(session.batchesPerEpoch());
      return session
          .train(model, lastTrainable, batches, seed, cancel, Observer.NONE, null)
          .batches();
    }
  }

  /** Batches in one epoch: the training split in batches, capped by maxBatchesPerEpoch. */
  public static long batchesPerEpoch(TrainingData data, Retraining settings) {
    long images = data.trainImages();
    long batches;
    if (images >= 0) {
      batches = (images + settings.batchSize() - 1) / settings.batchSize();
    } else {
      batches = 0;
      DataSetIterator it = data.train(settings.batchSize(), 0);
      while (it.hasNext()) {
        it.next();
        batches++;
      }
    }
    return settings.maxBatchesPerEpoch() == 0
        ? batches
        : Math.min(batches, settings.maxBatchesPerEpoch());
  }

  /**
   * The network {@link #train} fits, on the fast path: for tests that compare what it computes with
   * what the evaluator computes.
   */
  public static ComputationGraph network(CnnModel model, String lastTrainable, double rate) {
    Retraining settings = Retraining.defaults().withLearningRate(rate);
    return network(model, trainable(model, lastTrainable), settings, 0, 1, null);
  }

  /** The training graph of a stage (for tests: its updaters, schedule and loss). */
  static ComputationGraph network(
      CnnModel model,
      Set<String> trainable,
      Retraining settings,
      int startIteration,
      long batches,
      Retraining.Distillation distillation) {
    StageRate rate =
        new StageRate(settings.learningRate(), settings.schedule(), startIteration, batches);
    ComputationGraph graph =
        TrainingGraphs.build(
            model,
            trainable,
            layer -> prepared(layer, settings.optimizer(), rate),
            WorkspaceMode.ENABLED,
            layer -> distillation == null ? layer : distilling(layer, distillation));
    FastPath.applyForTraining(graph);
    return graph;
  }

  /** The layers up to and including {@code lastTrainable}, in topological order. */
  static Set<String> trainable(CnnModel model, String lastTrainable) {
    List<String> names = model.layerNames();
    int last = lastTrainable == null ? names.size() - 1 : names.indexOf(lastTrainable);
    if (last < 0) {
      throw new IllegalArgumentException("no layer named '" + lastTrainable + "'");
    }
    return new LinkedHashSet<>(names.subList(0, last + 1));
  }

  private static Layer prepared(Layer layer, Retraining.Optimizer optimizer, StageRate rate) {
    if (layer instanceof BaseLayer base && layer.initializer().numParams(layer) > 0) {
      base.setIUpdater(updater(optimizer, rate));
      base.setBiasUpdater(null);
      if (optimizer.weightDecay() > 0) {
        base.setRegularization(
            List.of(
                optimizer.kind() == Retraining.Optimizer.Kind.ADAMW
                    ? new WeightDecay(optimizer.weightDecay(), true)
                    : new L2Regularization(optimizer.weightDecay())));
        base.setRegularizationBias(List.of());
      }
    }
    return layer;
  }

  private static IUpdater updater(Retraining.Optimizer optimizer, StageRate rate) {
    return switch (optimizer.kind()) {
      case ADAM, ADAMW -> new Adam(rate);
      case SGD ->
          optimizer.momentum() > 0 ? new Nesterovs(rate, optimizer.momentum()) : new Sgd(rate);
    };
  }

  /** Whether a model can be distilled into: its output is a softmax (output or loss layer). */
  public static boolean canDistil(CnnModel model) {
    return softmaxOutput(model.layerConf(model.outputLayerName()));
  }

  private static boolean softmaxOutput(Layer output) {
    return (output instanceof BaseOutputLayer out
            && out.getActivationFn() instanceof ActivationSoftmax)
        || (output instanceof LossLayer loss
            && loss.getActivationFn() instanceof ActivationSoftmax);
  }

  private static Layer distilling(Layer output, Retraining.Distillation distillation) {
    if (!softmaxOutput(output)) {
      throw new InvalidPlanException(
          "distillation needs a model whose output is a softmax (output or loss layer); '"
              + output.getLayerName()
              + "' is not");
    }
    DistillationLoss loss = new DistillationLoss(distillation.alpha(), distillation.temperature());
    if (output instanceof BaseOutputLayer out) {
      out.setLossFn(loss);
    } else {
      ((LossLayer) output).setLossFn(loss);
    }
    return output;
  }

  private static Layer logits(Layer output) {
    if (output instanceof BaseLayer base) {
      base.setActivationFn(new ActivationIdentity());
    }
    return output;
  }

  private static double accuracy(
      ComputationGraph graph, DataSetIterator images, Cancellation cancel) {
    long correct = 0;
    long count = 0;
    while (images.hasNext()) {
      cancel.check();
      DataSet batch = images.next();
      INDArray output = graph.outputSingle(false, batch.getFeatures());
      correct +=
          Nd4j.argMax(output, 1)
              .eq(Nd4j.argMax(batch.getLabels(), 1))
              .castTo(DataType.INT)
              .sumNumber()
              .longValue();
      count += batch.numExamples();
    }
    return count == 0 ? 0 : (double) correct / count;
  }

  /**
   * The retraining of one run: its settings, the teacher network when distilling, and the optimiser
   * state when it is carried from stage to stage. Close it to free the teacher.
   */
  public static final class Session implements AutoCloseable {
    private final TrainingData data;
    private final Retraining settings;
    private final CnnModel teacherModel;
    private ComputationGraph teacher;
    private OptimizerState carried;
    private Long batchesPerEpoch;

    /**
     * @param teacher the model distillation learns from (the original); needed only when the
     *     settings distil
     */
    public Session(TrainingData data, Retraining settings, CnnModel teacher) {
      this(data, settings, teacher, settings.carryOptimizerState() ? OptimizerState.empty() : null);
    }

    /** A session going on with a carried optimiser state (null: fresh state at every stage). */
    public Session(
        TrainingData data, Retraining settings, CnnModel teacher, OptimizerState carried) {
      if (settings.distillation() != null && teacher == null) {
        throw new IllegalArgumentException("distillation needs the teacher model");
      }
      this.data = data;
      this.settings = settings;
      this.teacherModel = teacher;
      this.carried =
          settings.carryOptimizerState() && carried == null ? OptimizerState.empty() : carried;
    }

    public Retraining settings() {
      return settings;
    }

    /** The carried optimiser state, or null when every stage starts fresh. */
    public OptimizerState carried() {
      return carried;
    }

    public long batchesPerEpoch() {
      if (batchesPerEpoch == null) {
        batchesPerEpoch = Trainer.batchesPerEpoch(data, settings);
      }
      return batchesPerEpoch;
    }

    /** Kernels left {@code before}'s group: the carried state loses their slices too. */
    public void eliminated(CnnModel before, String group, int[] kernels) {
      if (carried != null && kernels.length > 0) {
        carried = carried.cut(before, group, kernels);
      }
    }

    /**
     * Trains one stage of {@code batches} batches (fewer if early stopping ends it), and writes the
     * trained parameters back into {@code model}.
     *
     * @param resume the stage's state when going on from the middle of it; {@code model} must then
     *     be the model the stage started from
     * @throws CancelledException between batches when cancelled; the model is then unchanged
     */
    public Outcome train(
        CnnModel model,
        String lastTrainable,
        long batches,
        long seed,
        Cancellation cancel,
        Observer observer,
        StageProgress resume) {
      if (batches <= 0) {
        return new Outcome(0, false);
      }
      Set<String> trainable = trainable(model, lastTrainable);
      int start =
          resume != null ? resume.startIteration() : carried == null ? 0 : carried.iterations();
      ComputationGraph graph =
          network(model, trainable, settings, start, batches, settings.distillation());
      try {
        if (carried != null) {
          carried.applyTo(graph);
        }
        graph.getConfiguration().setIterationCount(start);
        Retraining.EarlyStopping stopping = settings.earlyStopping();
        long done = 0;
        double best = Double.NaN;
        int sinceBest = 0;
        INDArray bestParams = null;
        INDArray bestState = null;
        if (resume != null) {
          graph.setParams(resume.params());
          if (resume.updaterState() != null && resume.updaterState().length() > 0) {
            graph.getUpdater().getStateViewArray().assign(resume.updaterState());
          }
          graph.getConfiguration().setIterationCount(resume.iteration());
          done = resume.batchesDone();
          best = resume.bestAccuracy();
          sinceBest = resume.sinceBest();
          bestParams = resume.bestParams();
          bestState = resume.bestUpdaterState();
        } else if (stopping != null) {
          best = accuracy(graph, data.validation(settings.batchSize()), cancel);
          bestParams = graph.params().dup();
          bestState = state(graph);
        }
        boolean stoppedEarly = false;
        long report = Math.max(1, batches / 100);
        long position = 0;
        training:
        for (int epoch = 0; done < batches; epoch++) {
          DataSetIterator it = data.train(settings.batchSize(), seed + epoch);
          long inEpoch = 0;
          boolean any = false;
          while (it.hasNext()
              && done < batches
              && (settings.maxBatchesPerEpoch() == 0 || inEpoch < settings.maxBatchesPerEpoch())) {
            cancel.check();
            DataSet batch = it.next();
            inEpoch++;
            any = true;
            if (position++ < done) {
              continue; // resuming: batches trained before the stop
            }
            fit(graph, batch, seed, done);
            done++;
            if (stopping != null && done % stopping.everyBatches() == 0) {
              double accuracy = accuracy(graph, data.validation(settings.batchSize()), cancel);
              if (accuracy > best) {
                best = accuracy;
                sinceBest = 0;
                bestParams = graph.params().dup();
                bestState = state(graph);
              } else if (++sinceBest >= stopping.patience()) {
                stoppedEarly = done < batches;
                observer.onBatches(done, batches);
                break training;
              }
            }
            if (done % report == 0 || done == batches) {
              observer.onBatches(done, batches);
            }
            if (observer.wantsProgress()
                && settings.checkpointEveryBatches() > 0
                && done % settings.checkpointEveryBatches() == 0
                && done < batches) {
              observer.onProgress(
                  new StageProgress(
                      done,
                      start,
                      graph.getConfiguration().getIterationCount(),
                      graph.params().dup(),
                      state(graph),
                      best,
                      sinceBest,
                      bestParams,
                      bestState));
            }
          }
          if (!any) {
            break; // no training data
          }
        }
        if (bestParams != null) {
          graph.setParams(bestParams);
          if (bestState != null && bestState.length() > 0) {
            graph.getUpdater().getStateViewArray().assign(bestState);
          }
        }
        TrainingGraphs.copyBack(graph, model, trainable);
        if (carried != null) {
          carried = carried.updatedFrom(graph, trainable);
        }
        return new Outcome(done, stoppedEarly);
      } finally {
        NetworkMemory.releaseTrained(graph);
      }
    }

    private void fit(ComputationGraph graph, DataSet batch, long seed, long index) {
      long batchSeed = seed * 0x9E3779B97F4A7C15L + index;
      INDArray features =
          Augmenter.augment(batch.getFeatures(), settings.augmentation(), batchSeed);
      INDArray labels = batch.getLabels();
      if (settings.distillation() != null) {
        INDArray logits = teacher().outputSingle(false, features);
        labels = Nd4j.hstack(labels.castTo(logits.dataType()), logits);
      }
      // Dropout draws from the global generator: seeded per batch, so a resumed stage matches.
      Nd4j.getRandom().setSeed(batchSeed);
      graph.fit(new DataSet(features, labels));
    }

    private ComputationGraph teacher() {
      if (teacher == null) {
        teacher =
            TrainingGraphs.build(
                teacherModel, Set.of(), layer -> layer, WorkspaceMode.ENABLED, Trainer::logits);
        FastPath.apply(teacher);
      }
      return teacher;
    }

    private static INDArray state(ComputationGraph graph) {
      INDArray view = graph.getUpdater().getStateViewArray();
      return view == null ? null : view.dup();
    }

    @Override
    public void close() {
      if (teacher != null) {
        NetworkMemory.release(teacher);
        teacher = null;
      }
    }
  }
}
