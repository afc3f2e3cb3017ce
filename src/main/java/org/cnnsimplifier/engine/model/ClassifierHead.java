package org.cnnsimplifier.engine.model;

import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.InvalidModelException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.LossFunctions.LossFunction;

/**
 * Finds the classifier output however a model ends, and gives it a loss the engine can train:
 *
 * <ul>
 *   <li>an output layer (dense + loss) is used as it is;
 *   <li>a loss layer after global pooling (SqueezeNet, Darknet19) gets its width, which DL4J leaves
 *       unset;
 *   <li>a softmax activation with no loss after it (the zoo's SimpleCNN) becomes a loss layer with
 *       that softmax and cross-entropy; a dense layer with a softmax activation becomes an output
 *       layer with the same weights. Both compute exactly what they computed before;
 *   <li>a dense layer without activation (logits) becomes a softmax output layer with the same
 *       weights, and the model is marked as giving logits, so exports leave the softmax out.
 * </ul>
 *
 * Anything else does not give class probabilities, and the model is refused saying so.
 */
final class ClassifierHead {
  private ClassifierHead() {}

  static CnnModel normalised(CnnModel model, String name) {
    String output = model.outputLayerName();
    Layer layer = model.layerConf(output);
    InputType[] types;
    try {
      types = LayerTypes.inputAndOutput(model).get(output);
    } catch (RuntimeException e) {
      throw new InvalidModelException(
          name + "'s layers do not fit its " + model.inputShape() + " input: " + e.getMessage(), e);
    }
    if (layer instanceof BaseOutputLayer) {
      return model;
    }
    if (layer instanceof LossLayer loss) {
      if (types[0] instanceof InputType.InputTypeFeedForward ff && loss.getNOut() <= 0) {
        loss.setNIn(ff.getSize());
        loss.setNOut(ff.getSize());
      }
      return model;
    }
    if (isSoftmax(layer) && types[0] instanceof InputType.InputTypeFeedForward ff) {
      Layer replacement =
          layer instanceof DenseLayer dense
              ? new OutputLayer.Builder(LossFunction.MCXENT)
                  .nIn(dense.getNIn())
                  .nOut(dense.getNOut())
                  .activation(dense.getActivationFn())
                  .hasBias(dense.hasBias())
                  .build()
              : new LossLayer.Builder(LossFunction.MCXENT)
                  .activation(new ActivationSoftmax())
                  .nIn(ff.getSize())
                  .nOut(ff.getSize())
                  .build();
      replacement.setLayerName(output);
      return replaced(model, output, replacement);
    }
    if (layer instanceof DenseLayer dense
        && dense.getActivationFn() instanceof ActivationIdentity) {
      // Logits: the softmax a classifier is trained through is added, and the model remembers it
      // gave logits, so exports leave the softmax out again.
      Layer replacement =
          new OutputLayer.Builder(LossFunction.MCXENT)
              .nIn(dense.getNIn())
              .nOut(dense.getNOut())
              .activation(new ActivationSoftmax())
              .hasBias(dense.hasBias())
              .build();
      replacement.setLayerName(output);
      return replaced(model, output, replacement).withLogitsOutput(true);
    }
    throw new InvalidModelException(
        name
            + " ends in layer '"
            + output
            + "' ("
            + layer.getClass().getSimpleName()
            + "), which does not give class probabilities; end the model with a softmax output"
            + " layer (or a softmax activation after the last dense layer or global pooling)");
  }

  private static boolean isSoftmax(Layer layer) {
    if (layer instanceof ActivationLayer activation) {
      return activation.getActivationFn() instanceof ActivationSoftmax;
    }
    return layer instanceof DenseLayer dense
        && dense.getActivationFn() instanceof ActivationSoftmax;
  }

  /** The same model with one layer configuration replaced; parameters are laid out as before. */
  private static CnnModel replaced(CnnModel model, String name, Layer replacement) {
    if (model.isGraph()) {
      ComputationGraphConfiguration conf = model.graph().getConfiguration().clone();
      Map<String, org.deeplearning4j.nn.conf.graph.GraphVertex> vertices = conf.getVertices();
      ((LayerVertex) vertices.get(name)).getLayerConf().setLayer(replacement);
      ComputationGraph graph = new ComputationGraph(conf);
      graph.init(model.graph().params().dup(), false);
      return model.with(graph);
    }
    MultiLayerConfiguration conf = model.network().getLayerWiseConfigurations().clone();
    List<NeuralNetConfiguration> confs = conf.getConfs();
    confs.get(confs.size() - 1).setLayer(replacement);
    MultiLayerNetwork network = new MultiLayerNetwork(conf);
    network.init(model.network().params().dup(), false);
    return model.with(network);
  }
}
