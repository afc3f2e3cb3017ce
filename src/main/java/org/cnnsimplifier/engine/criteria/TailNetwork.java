package org.cnnsimplifier.engine.criteria;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.model.CnnModel;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The part of a MultiLayerNetwork after one layer, as a network of its own with the same
 * parameters: its input gradient is the loss gradient with respect to that layer's output.
 *
 * <p>Dropout and weight noise are left out so gradients are reproducible. DL4J computes gradients
 * in training mode, so batch normalisation in the tail uses the batch's statistics.
 */
final class TailNetwork {

  private TailNetwork() {}

  /** The layers after {@code layerName} of a MultiLayerNetwork model. */
  static MultiLayerNetwork after(CnnModel model, String layerName) {
    MultiLayerNetwork net = model.network();
    MultiLayerConfiguration conf = net.getLayerWiseConfigurations();
    int first = model.layerIndex(layerName) + 1;
    int layers = net.getnLayers();
    List<NeuralNetConfiguration> confs = new ArrayList<>();
    long offset = 0;
    for (int i = 0; i < layers; i++) {
      if (i < first) {
        offset += net.getLayer(i).numParams();
        continue;
      }
      NeuralNetConfiguration layerConf = conf.getConf(i).clone();
      layerConf.getLayer().setIDropout(null);
      if (layerConf.getLayer() instanceof BaseLayer base) {
        base.setWeightNoise(null);
      }
      confs.add(layerConf);
    }
    Map<Integer, InputPreProcessor> preprocessors = new HashMap<>();
    conf.getInputPreProcessors()
        .forEach(
            (index, preprocessor) -> {
              if (index >= first) {
                preprocessors.put(index - first, preprocessor.clone());
              }
            });
    MultiLayerConfiguration tailConf =
        new MultiLayerConfiguration.Builder()
            .confs(confs)
            .inputPreProcessors(preprocessors)
            .dataType(conf.getDataType())
            .trainingWorkspaceMode(conf.getTrainingWorkspaceMode())
            .inferenceWorkspaceMode(conf.getInferenceWorkspaceMode())
            .build();
    MultiLayerNetwork tail = new MultiLayerNetwork(tailConf);
    INDArray params = net.params();
    // Parameters are one flat vector, layer after layer: the tail's are the suffix.
    INDArray tailParams =
        params.reshape(params.length()).get(NDArrayIndex.interval(offset, params.length())).dup();
    tail.init(tailParams.reshape(1, tailParams.length()), false);
    return tail;
  }
}
