package org.cnnsimplifier.engine.target;

import java.util.Map;
import org.cnnsimplifier.engine.model.ArchitectureSummary;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.surgery.KernelSurgery;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Small helpers on throwaway model copies. */
final class Models {
  private Models() {}

  /**
   * Frees a throwaway copy's parameters and optimiser state now (the networks' own close() also
   * asks for a full garbage collection, which costs more than the small copies of an analysis).
   */
  static void close(CnnModel model) {
    release(model.dl4j().params());
    if (model.isGraph()) {
      if (model.graph().getUpdater(false) != null) {
        release(model.graph().getUpdater(false).getStateViewArray());
      }
    } else if (model.network().getUpdater(false) != null) {
      release(model.network().getUpdater(false).getStateViewArray());
    }
  }

  private static void release(INDArray array) {
    if (array != null && !array.wasClosed() && array.closeable()) {
      array.close();
    }
  }

  /** Parameters and FLOPs per image of a model. */
  static Cost cost(CnnModel model) {
    ArchitectureSummary summary = ArchitectureSummary.of(model);
    return new Cost(summary.totalParams(), summary.totalFlops());
  }

  /**
   * A copy of the model with the given channels of each group removed, in the map's order (group
   * channel numbers are those of the unpruned model: removing one group's channels leaves another
   * group's numbering unchanged).
   */
  static CnnModel pruned(CnnModel model, Map<String, int[]> removals) {
    CnnModel current = model;
    for (Map.Entry<String, int[]> removal : removals.entrySet()) {
      if (removal.getValue().length == 0) {
        continue;
      }
      CnnModel next = KernelSurgery.remove(current, removal.getKey(), removal.getValue());
      if (current != model) {
        close(current);
      }
      current = next;
    }
    return current == model ? model.copy() : current;
  }

  /** Parameters and FLOPs of one image. */
  record Cost(long params, long flops) {}
}
