package org.cnnsimplifier.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.cnnsimplifier.engine.criteria.Criterion;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.ModelFormat;
import org.cnnsimplifier.engine.plan.EliminationPolicy;
import org.cnnsimplifier.engine.plan.Retraining;
import org.cnnsimplifier.engine.plan.SimplificationPlan;
import org.cnnsimplifier.engine.plan.Strategy;
import org.cnnsimplifier.engine.retrain.Cancellation;
import org.cnnsimplifier.engine.runtime.NativeRuntime;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * A simplification frees the off-heap memory of every copy it makes (models after surgery, ablation
 * and candidate copies, training networks, checkpoints) when done, not when the garbage collector
 * gets to it: ND4J's off-heap counter ({@code MemoryManager.allocatedMemory}, which sums JavaCPP's
 * and ND4J's tracked general and workspace bytes) returns to its level after a job.
 *
 * <p>The model is mostly one dense layer of 6.4 MB, so each leaked copy (parameters, Adam state,
 * gradients) shows as megabytes: keeping the models before surgery alone leaves about 31 MB after
 * the two jobs. What DL4J itself leaves to the collector (about 6 MB here) stays below the bound of
 * two model copies. Nothing here calls the collector between the job and the reading; ND4J's
 * periodic collection is off for the test.
 */
class MemoryReleaseTest {
  private static final InputShape INPUT = new InputShape(2, 16, 16);
  private static final long MODEL_BYTES = 4L * 8 * 14 * 14 * 1024;

  private boolean periodicGc;

  @BeforeEach
  void noPeriodicGc() {
    NativeRuntime.initialize();
    periodicGc = Nd4j.getMemoryManager().isPeriodicGcActive();
    Nd4j.getMemoryManager().togglePeriodicGc(false);
  }

  @AfterEach
  void restore() {
    Nd4j.getMemoryManager().togglePeriodicGc(periodicGc);
  }

  /** conv3x3(8)-dense(1024)-output(3): 1.6 M parameters, 6.4 MB, almost all in the dense layer. */
  private static CnnModel model() {
    var conf =
        new NeuralNetConfiguration.Builder()
            .seed(5)
            .dataType(DataType.FLOAT)
            .updater(new Adam(1e-3))
            .list()
            .layer(
                new ConvolutionLayer.Builder(3, 3)
                    .name("conv")
                    .nOut(8)
                    .activation(Activation.RELU)
                    .build())
            .layer(
                new DenseLayer.Builder()
                    .name("dense")
                    .nOut(1024)
                    .activation(Activation.RELU)
                    .build())
            .layer(
                new OutputLayer.Builder(LossFunction.MCXENT)
                    .name("out")
                    .nOut(3)
                    .activation(Activation.SOFTMAX)
                    .build())
            .setInputType(InputType.convolutional(INPUT.height(), INPUT.width(), INPUT.channels()))
            .build();
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init();
    return CnnModel.of(network, INPUT, ModelFormat.DL4J_ZIP);
  }

  /**
   * ABLATION under maxAccuracyDrop (a masked copy per kernel and per candidate), then
   * MEAN_ACTIVATION under a ratio (activations); both with surgery, retraining and checkpoints.
   */
  @Test
  void offHeapMemoryReturnsToItsLevelAfterAJob() throws InterruptedException {
    SyntheticData data = new SyntheticData(INPUT, 4, 3, 1);
    SimplificationPlan progressive =
        new SimplificationPlan(
            List.of(),
            Criterion.MEAN_ACTIVATION,
            Strategy.PROGRESSIVE,
            new EliminationPolicy.Ratio(0.5),
            new Retraining(1, 6, 1e-3, 0),
            3,
            6,
            1);
    SimplificationPlan maxDrop =
        new SimplificationPlan(
            List.of(),
            Criterion.ABLATION,
            Strategy.PROGRESSIVE,
            new EliminationPolicy.MaxAccuracyDrop(1.0),
            new Retraining(1, 6, 1e-3, 0),
            3,
            6,
            1);
    CnnModel model = model();
    ProgressListener keepNothing = ProgressListener.NONE;

    // A first job warms up what stays for good (workspaces, oneDNN primitives, caches).
    for (SimplificationPlan plan : new SimplificationPlan[] {progressive, maxDrop}) {
      new Simplifier().run(model, data, plan, keepNothing, Cancellation.NEVER).model().close();
    }
    long level = settledLevel();

    for (SimplificationPlan plan : new SimplificationPlan[] {progressive, maxDrop}) {
      SimplificationResult result =
          new Simplifier().run(model, data, plan, keepNothing, Cancellation.NEVER);
      result.model().close();
    }
    long after = allocated();

    assertThat(after - level)
        .as(
            "off-heap bytes left after two jobs (%,d before, %,d after); one leaked copy of the"
                + " model is %,d",
            level, after, MODEL_BYTES)
        .isLessThan(2 * MODEL_BYTES);
  }

  /** libnd4j's memory counter of host buffers (every array outside a workspace). */
  private static long allocated() {
    try {
      Class<?> environment =
          Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
      Object instance = environment.getMethod("getInstance").invoke(null);
      return (long) environment.getMethod("getGroupCounter", int.class).invoke(instance, 0);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError("the CPU backend's memory counter is needed", e);
    }
  }

  /** The level once the collector and ND4J's deallocator have freed what was unreachable. */
  private static long settledLevel() throws InterruptedException {
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < 20; i++) {
      System.gc();
      Thread.sleep(100);
      long now = allocated();
      if (now == previous) {
        return now;
      }
      previous = now;
    }
    return previous;
  }
}
