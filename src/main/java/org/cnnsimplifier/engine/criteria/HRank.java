package org.cnnsimplifier.engine.criteria;

import java.util.List;
import org.cnnsimplifier.engine.model.CnnModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@link Criterion#HRANK}: the average matrix rank of kernel k's H×W post-activation map over the
 * sample's images (Lin et al. 2020). Low-rank maps carry little information: eliminate first. A
 * dense unit's "map" is its 1×1 value, whose rank is 1 when it is non-zero.
 */
final class HRank extends MemberCriterion {

  HRank() {
    super("HRANK", true, false);
  }

  @Override
  double[] memberScores(CnnModel model, String member, List<DataSet> batches) {
    ConvChain chain = ConvChain.of(model, member);
    double[] rankSums = new double[chain.kernels()];
    long images = 0;
    for (DataSet batch : batches) {
      INDArray act = Activations.of(model, chain.activationPoint(), batch.getFeatures());
      if (act.rank() == 2) {
        act = act.reshape(act.size(0), act.size(1), 1, 1);
      }
      int n = (int) act.size(0);
      int h = (int) act.size(2);
      int w = (int) act.size(3);
      // 'c' order: image, channel, row, column; each map is h*w consecutive values.
      double[] values = act.dup('c').data().asDouble();
      for (int i = 0; i < n; i++) {
        for (int k = 0; k < rankSums.length; k++) {
          int offset = (i * rankSums.length + k) * h * w;
          rankSums[k] += MatrixRank.rank(values, offset, h, w);
        }
      }
      images += n;
    }
    for (int k = 0; k < rankSums.length; k++) {
      rankSums[k] /= images;
    }
    return rankSums;
  }
}
