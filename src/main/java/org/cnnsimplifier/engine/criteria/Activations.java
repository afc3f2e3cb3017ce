package org.cnnsimplifier.engine.criteria;

import java.util.List;
import org.cnnsimplifier.engine.model.CnnModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One layer's output in inference mode, computed no further than needed. */
final class Activations {

  private Activations() {}

  /** The named layer's output for a batch of images, NCHW, detached, as doubles. */
  static INDArray of(CnnModel model, String layerName, INDArray features) {
    INDArray out;
    if (model.isGraph()) {
      out = model.graph().feedForward(features, false).get(layerName);
    } else {
      int index = model.layerIndex(layerName);
      List<INDArray> all = model.network().feedForwardToLayer(index, features, false);
      out = all.get(index + 1); // element 0 is the input
    }
    return out.detach().castTo(DataType.DOUBLE);
  }
}
