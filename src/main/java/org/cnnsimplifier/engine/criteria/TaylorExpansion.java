package org.cnnsimplifier.engine.criteria;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.NetworkMemory;
import org.cnnsimplifier.engine.retrain.TrainingGraphs;
import org.cnnsimplifier.engine.surgery.PruningGroup;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@link Criterion#TAYLOR} (Molchanov et al. 2017): for each image, |mean over positions of
 * activation × ∂loss/∂activation| of kernel k's post-activation map, averaged over the images, then
 * divided by the L2 norm of the layer's scores. It estimates the loss change if k were removed.
 *
 * <p>Activations and gradients come from one pass of the model in its evaluation form ({@link
 * TrainingGraphs} with every layer frozen): batch normalisation on its running statistics, no
 * dropout. The gradient is the full derivative at the activation point, through every path after it
 * (residual connections included), for MultiLayerNetworks and ComputationGraphs alike. Loss
 * gradients are per image, so neither the batch size nor how the sample is cut into batches changes
 * the scores.
 */
final class TaylorExpansion implements RelevanceCriterion {

  @Override
  public double[] scores(CnnModel model, String layerOrGroup, ScoringData data) {
    PruningGroup group = GroupScores.group(model, layerOrGroup);
    List<DataSet> batches = ScoringBatches.load(data, model, "TAYLOR", true);
    Map<String, String> points = new LinkedHashMap<>();
    for (String member : group.members()) {
      points.put(member, ConvChain.of(model, member).activationPoint());
    }
    ComputationGraph graph =
        TrainingGraphs.build(model, Set.of(), layer -> layer, WorkspaceMode.NONE);
    Capture capture = new Capture(Set.copyOf(points.values()));
    graph.setListeners(capture);
    Map<String, double[]> sums = new LinkedHashMap<>();
    long images = 0;
    try {
      for (DataSet batch : batches) {
        graph.setInput(0, batch.getFeatures());
        graph.setLabel(0, batch.getLabels());
        graph.computeGradientAndScore();
        for (Map.Entry<String, String> member : points.entrySet()) {
          INDArray act = capture.activations.get(member.getValue());
          INDArray gradient = capture.gradients.get(member.getValue());
          INDArray product = act.mul(gradient);
          // [n, kernels]: mean over positions for maps, the value itself for dense units.
          INDArray perImage = Transforms.abs(product.rank() == 4 ? product.mean(2, 3) : product);
          double[] batchSums = perImage.sum(0).toDoubleVector();
          double[] total = sums.computeIfAbsent(member.getKey(), k -> new double[batchSums.length]);
          for (int k = 0; k < total.length; k++) {
            total[k] += batchSums[k];
          }
        }
        images += batch.getFeatures().size(0);
      }
    } finally {
      NetworkMemory.releaseTrained(graph);
    }
    for (double[] total : sums.values()) {
      normalise(total, images);
    }
    return GroupScores.combine(group, sums);
  }

  /** Mean over images, then divided by the L2 norm of the layer's scores. */
  private static void normalise(double[] sums, long images) {
    double norm = 0;
    for (int k = 0; k < sums.length; k++) {
      sums[k] /= images;
      norm += sums[k] * sums[k];
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int k = 0; k < sums.length; k++) {
        sums[k] /= norm;
      }
    }
  }

  /** Keeps the activations and the loss gradients at the activation points of one pass. */
  private static final class Capture extends BaseTrainingListener {
    private final Set<String> points;
    final Map<String, INDArray> activations = new HashMap<>();
    final Map<String, INDArray> gradients = new HashMap<>();

    Capture(Set<String> points) {
      this.points = points;
    }

    @Override
    public void onForwardPass(Model model, Map<String, INDArray> all) {
      for (String point : points) {
        activations.put(point, all.get(point).detach().castTo(DataType.DOUBLE));
      }
    }

    @Override
    public void onBackwardPass(Model model) {
      ComputationGraph graph = (ComputationGraph) model;
      for (String point : points) {
        INDArray epsilon = graph.getVertex(point).getEpsilon();
        if (epsilon == null) {
          throw new IllegalStateException("no loss gradient reached '" + point + "'");
        }
        gradients.put(point, epsilon.detach().castTo(DataType.DOUBLE));
      }
    }
  }
}
