package org.cnnsimplifier.engine.criteria;

import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.NetworkMemory;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** One layer's output in inference mode, computed no further than needed. */
final class Activations {

  private Activations() {}

  /** The named layer's output for a batch of images, NCHW, detached, as doubles. */
  static INDArray of(CnnModel model, String layerName, INDArray features) {
    INDArray out;
    java.util.Collection<INDArray> all;
    if (model.isGraph()) {
      Map<String, INDArray> outputs = model.graph().feedForward(features, false);
      out = outputs.get(layerName);
      all = outputs.values();
    } else {
      int index = model.layerIndex(layerName);
      List<INDArray> outputs = model.network().feedForwardToLayer(index, features, false);
      out = outputs.get(index + 1); // element 0 is the input
      all = outputs;
    }
    INDArray detached = out.detach();
    INDArray result = detached.castTo(DataType.DOUBLE);
    // The other layers' outputs (and the float copy) are done with; the input is the caller's.
    for (INDArray other : all) {
      if (other != features && other != result) {
        NetworkMemory.close(other);
      }
    }
    if (detached != result) {
      NetworkMemory.close(detached);
    }
    return result;
  }
}
