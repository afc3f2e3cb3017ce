package org.cnnsimplifier.engine.retrain;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.LayerTypes;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.misc.ElementWiseMultiplicationLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The network a model trains as: a ComputationGraph in which the trainable layers train as usual
 * and every other layer is frozen <em>exactly as it computes at evaluation</em>, while gradients
 * still flow through it to the layers before.
 *
 * <p>DL4J's own freezing is not enough for that. A frozen batch normalisation given a zero learning
 * rate still normalises with the batch's statistics; wrapped in {@link FrozenLayerWithBackprop} it
 * normalises with its running statistics but back-propagates with the batch-statistics formula.
 * Dropout stays active in frozen layers without parameters. So here:
 *
 * <ul>
 *   <li>a frozen batch normalisation becomes the per-channel affine map it computes at evaluation
 *       ({@code γ/√(σ²+ε)·x + β − μγ/√(σ²+ε)}): a 1×1 depthwise convolution for images, an
 *       element-wise multiplication layer for features, frozen with backprop;
 *   <li>frozen layers lose their dropout;
 *   <li>frozen layers with parameters are wrapped in {@link FrozenLayerWithBackprop}; the output
 *       layer, which DL4J needs unwrapped, gets a zero learning rate and no regularisation.
 * </ul>
 *
 * <p>A MultiLayerNetwork becomes a chain graph with the same layer names, so one code path serves
 * both kinds of model. Parameters are copied in by layer name and copied back the same way ({@link
 * #copyBack}).
 */
public final class TrainingGraphs {
  /** The name of the input of a graph made from a MultiLayerNetwork. */
  static final String INPUT = "input";

  private TrainingGraphs() {}

  /**
   * Builds the training graph of a model, initialised with the model's parameters.
   *
   * @param trainable names of the layers that train; all others are frozen
   * @param prepare how a trainable layer's configuration is set up (updater, …); given a clone
   * @param workspaces DL4J's workspace mode for training and inference
   */
  public static ComputationGraph build(
      CnnModel model,
      Set<String> trainable,
      UnaryOperator<Layer> prepare,
      WorkspaceMode workspaces) {
    return build(model, trainable, prepare, workspaces, UnaryOperator.identity());
  }

  /**
   * As {@link #build(CnnModel, Set, UnaryOperator, WorkspaceMode)}, with {@code output} applied
   * last to the output layer's configuration, trainable or frozen (its loss, its activation).
   */
  public static ComputationGraph build(
      CnnModel model,
      Set<String> trainable,
      UnaryOperator<Layer> prepare,
      WorkspaceMode workspaces,
      UnaryOperator<Layer> output) {
    Map<String, InputType[]> types = LayerTypes.inputAndOutput(model);
    ComputationGraphConfiguration conf = configuration(model);
    List<String> outputs = conf.getNetworkOutputs();
    for (String name : model.layerNames()) {
      LayerVertex vertex = (LayerVertex) conf.getVertices().get(name);
      Layer layer = vertex.getLayerConf().getLayer();
      Layer prepared =
          trainable.contains(name)
              ? prepare.apply(layer)
              : frozen(layer, outputs.contains(name), types.get(name)[0]);
      if (outputs.contains(name)) {
        prepared = output.apply(prepared);
      }
      prepared.setLayerName(name);
      vertex.getLayerConf().setLayer(prepared);
    }
    conf.setTrainingWorkspaceMode(workspaces);
    conf.setInferenceWorkspaceMode(workspaces);
    ComputationGraph graph = new ComputationGraph(conf);
    graph.init();
    copyIn(model, graph);
    return graph;
  }

  /** Writes the trained layers' parameters back into the model. */
  public static void copyBack(ComputationGraph graph, CnnModel model, Set<String> trainable) {
    for (String name : trainable) {
      for (Map.Entry<String, INDArray> param : model.layer(name).paramTable().entrySet()) {
        param.getValue().assign(graph.getLayer(name).getParam(param.getKey()));
      }
    }
  }

  private static ComputationGraphConfiguration configuration(CnnModel model) {
    if (model.isGraph()) {
      return model.graph().getConfiguration().clone();
    }
    MultiLayerConfiguration conf = model.network().getLayerWiseConfigurations().clone();
    List<String> names = model.layerNames();
    ComputationGraphConfiguration.GraphBuilder builder =
        new NeuralNetConfiguration.Builder()
            .seed(conf.getConf(0).getSeed())
            .dataType(conf.getDataType())
            .graphBuilder()
            .addInputs(INPUT);
    String previous = INPUT;
    for (int i = 0; i < names.size(); i++) {
      builder.addLayer(
          names.get(i), conf.getConf(i).getLayer(), conf.getInputPreProcess(i), previous);
      previous = names.get(i);
    }
    return builder.setOutputs(previous).build();
  }

  /** A layer as it computes at evaluation, frozen, with gradients flowing through. */
  private static Layer frozen(Layer layer, boolean isOutput, InputType input) {
    layer.setIDropout(null);
    if (layer instanceof BatchNormalization bn) {
      return new FrozenLayerWithBackprop(affine(bn, input));
    }
    if (!(layer instanceof BaseLayer base) || layer.initializer().numParams(layer) == 0) {
      return layer;
    }
    if (isOutput || layer instanceof BaseOutputLayer) {
      // A zero learning rate leaves the weights bit-identical (NoOp would apply raw gradients).
      base.setIUpdater(new Sgd(0.0));
      base.setBiasUpdater(new Sgd(0.0));
      base.setRegularization(List.of());
      base.setRegularizationBias(List.of());
      base.setWeightNoise(null);
      return base;
    }
    base.setWeightNoise(null);
    return new FrozenLayerWithBackprop(base);
  }

  /** The evaluation-time map of a batch normalisation, as a layer with a weight and a bias. */
  private static Layer affine(BatchNormalization bn, InputType input) {
    long channels = bn.getNOut();
    if (input instanceof InputType.InputTypeConvolutional) {
      return new DepthwiseConvolution2D.Builder(1, 1)
          .nIn(channels)
          .depthMultiplier(1)
          .hasBias(true)
          .convolutionMode(ConvolutionMode.Truncate)
          .activation(Activation.IDENTITY)
          .weightInit(WeightInit.ONES)
          .updater(new Sgd(0.0))
          .biasUpdater(new Sgd(0.0))
          .name(bn.getLayerName())
          .build();
    }
    return new ElementWiseMultiplicationLayer.Builder()
        .nIn(channels)
        .nOut(channels)
        .activation(Activation.IDENTITY)
        .weightInit(WeightInit.ONES)
        .updater(new Sgd(0.0))
        .biasUpdater(new Sgd(0.0))
        .name(bn.getLayerName())
        .build();
  }

  private static void copyIn(CnnModel model, ComputationGraph graph) {
    for (String name : model.layerNames()) {
      Map<String, INDArray> params = model.layer(name).paramTable();
      if (model.layerConf(name) instanceof BatchNormalization bn
          && !(unwrapped(graph, name) instanceof BatchNormalization)) {
        setAffine(bn, params, graph.getLayer(name));
        continue;
      }
      for (Map.Entry<String, INDArray> param : params.entrySet()) {
        graph.getLayer(name).getParam(param.getKey()).assign(param.getValue());
      }
    }
  }

  private static Layer unwrapped(ComputationGraph graph, String name) {
    Layer conf = graph.getLayer(name).conf().getLayer();
    return conf instanceof FrozenLayerWithBackprop frozen ? frozen.getUnderlying() : conf;
  }

  /** Scale γ/√(σ²+ε) and shift β − μ·scale, from the batch normalisation's parameters. */
  private static void setAffine(
      BatchNormalization bn, Map<String, INDArray> params, org.deeplearning4j.nn.api.Layer into) {
    long channels = bn.getNOut();
    INDArray mean =
        params.get("mean").reshape(channels).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
    INDArray variance;
    if (bn.isUseLogStd()) {
      INDArray log10std = params.get("log10stdev").reshape(channels).castTo(mean.dataType());
      INDArray std =
          Transforms.pow(
              org.nd4j.linalg.factory.Nd4j.valueArrayOf(log10std.shape(), 10.0, mean.dataType()),
              log10std,
              false);
      variance = std.mul(std);
    } else {
      variance = params.get("var").reshape(channels).castTo(mean.dataType());
    }
    INDArray gamma;
    INDArray beta;
    if (bn.isLockGammaBeta()) {
      gamma =
          org.nd4j.linalg.factory.Nd4j.valueArrayOf(
              new long[] {channels}, bn.getGamma(), mean.dataType());
      beta =
          org.nd4j.linalg.factory.Nd4j.valueArrayOf(
              new long[] {channels}, bn.getBeta(), mean.dataType());
    } else {
      gamma = params.get("gamma").reshape(channels).castTo(mean.dataType());
      beta = params.get("beta").reshape(channels).castTo(mean.dataType());
    }
    INDArray scale = gamma.div(Transforms.sqrt(variance.add(bn.getEps()), false));
    INDArray shift = beta.sub(mean.mul(scale));
    INDArray w = into.getParam("W");
    INDArray b = into.getParam("b");
    w.assign(scale.reshape(w.shape()).castTo(w.dataType()));
    b.assign(shift.reshape(b.shape()).castTo(b.dataType()));
  }
}
