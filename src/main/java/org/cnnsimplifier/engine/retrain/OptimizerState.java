package org.cnnsimplifier.engine.retrain;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.surgery.KernelSurgery;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An optimiser's state by layer and parameter, shaped like the parameters (Adam: its first and
 * second moments; Nesterov momentum: its velocity), and the iteration count Adam's bias correction
 * and the schedule go on from. Carried from stage to stage, it is cut with the parameters when
 * kernels go ({@link #cut}), so the surviving kernels keep their slices.
 */
public final class OptimizerState {
  private final Map<String, Map<String, List<INDArray>>> arrays;
  private final int iterations;

  private OptimizerState(Map<String, Map<String, List<INDArray>>> arrays, int iterations) {
    this.arrays = arrays;
    this.iterations = iterations;
  }

  /** No state yet. */
  public static OptimizerState empty() {
    return new OptimizerState(new LinkedHashMap<>(), 0);
  }

  /** Iterations trained so far. */
  public int iterations() {
    return iterations;
  }

  /** The state arrays of one parameter (copies), empty when there are none. */
  public List<INDArray> get(String layer, String param) {
    List<INDArray> state = arrays.getOrDefault(layer, Map.of()).get(param);
    return state == null ? List.of() : state.stream().map(INDArray::dup).toList();
  }

  /** The layers that have state. */
  public Set<String> layers() {
    return arrays.keySet();
  }

  /**
   * This state updated with the state of the graph's layers in {@code trained}: those layers'
   * arrays are replaced, the others kept, the iteration count is the graph's.
   */
  public OptimizerState updatedFrom(ComputationGraph graph, Set<String> trained) {
    Map<String, Map<String, List<INDArray>>> next = new LinkedHashMap<>(arrays);
    read(graph)
        .forEach(
            (layer, params) -> {
              if (trained.contains(layer)) {
                next.put(layer, params);
              }
            });
    return new OptimizerState(next, graph.getConfiguration().getIterationCount());
  }

  /**
   * Writes this state into a graph's updater, for the layers and parameters that have state here
   * and the same shape there; the others keep the graph's (fresh) state. Sets the iteration count.
   */
  public void applyTo(ComputationGraph graph) {
    graph.getConfiguration().setIterationCount(iterations);
    for (UpdaterBlock block : graph.getUpdater().getUpdaterBlocks()) {
      forEachParam(
          graph,
          block,
          (layer, param, index, view) -> {
            List<INDArray> saved = arrays.getOrDefault(layer, Map.of()).get(param);
            if (saved != null
                && index < saved.size()
                && java.util.Arrays.equals(saved.get(index).shape(), view.shape())) {
              view.assign(saved.get(index));
            }
          });
    }
  }

  /** The state with the channels removed from {@code group} of {@code before} cut out. */
  public OptimizerState cut(CnnModel before, String group, int[] kernels) {
    int slots =
        arrays.values().stream()
            .flatMap(p -> p.values().stream())
            .mapToInt(List::size)
            .max()
            .orElse(0);
    Map<String, Map<String, List<INDArray>>> next = new LinkedHashMap<>();
    for (int slot = 0; slot < slots; slot++) {
      Map<String, Map<String, INDArray>> slice = new LinkedHashMap<>();
      final int s = slot;
      arrays.forEach(
          (layer, params) ->
              params.forEach(
                  (param, state) -> {
                    if (s < state.size()) {
                      slice
                          .computeIfAbsent(layer, k -> new LinkedHashMap<>())
                          .put(param, state.get(s));
                    }
                  }));
      Map<String, Map<String, INDArray>> cut = KernelSurgery.cutLike(before, group, kernels, slice);
      cut.forEach(
          (layer, params) ->
              params.forEach(
                  (param, value) ->
                      next.computeIfAbsent(layer, k -> new LinkedHashMap<>())
                          .computeIfAbsent(param, k -> new ArrayList<>())
                          .add(value)));
    }
    return new OptimizerState(next, iterations);
  }

  /** The graph's updater state by layer and parameter, shaped like the parameters (copies). */
  static Map<String, Map<String, List<INDArray>>> read(ComputationGraph graph) {
    Map<String, Map<String, List<INDArray>>> result = new LinkedHashMap<>();
    for (UpdaterBlock block : graph.getUpdater().getUpdaterBlocks()) {
      forEachParam(
          graph,
          block,
          (layer, param, index, view) ->
              result
                  .computeIfAbsent(layer, k -> new LinkedHashMap<>())
                  .computeIfAbsent(param, k -> new ArrayList<>())
                  .add(view.dup()));
    }
    return result;
  }

  private interface ParamVisitor {
    void visit(String layer, String param, int index, INDArray view);
  }

  /**
   * Visits the state arrays of every parameter of an updater block: the block's state is {@code k}
   * consecutive arrays as long as its parameters (Adam: m then v), each laid out like the flattened
   * parameters.
   */
  private static void forEachParam(
      ComputationGraph graph, UpdaterBlock block, ParamVisitor visitor) {
    INDArray view = block.getUpdaterView();
    long length = block.getParamOffsetEnd() - block.getParamOffsetStart();
    if (view == null || length == 0 || view.length() == 0) {
      return;
    }
    INDArray flat = view.reshape(view.length());
    long slots = flat.length() / length;
    for (UpdaterBlock.ParamState state : block.getLayersAndVariablesInBlock()) {
      long from = state.getParamOffsetStart() - block.getParamOffsetStart();
      long to = state.getParamOffsetEnd() - block.getParamOffsetStart();
      String layer = state.getLayer().getConfig().getLayerName();
      // The parameter as its layer shapes it (the block holds it flattened in that order).
      INDArray param = graph.getLayer(layer).getParam(state.getParamName());
      for (int slot = 0; slot < slots; slot++) {
        INDArray segment =
            flat.get(NDArrayIndex.interval(slot * length + from, slot * length + to));
        INDArray shaped = segment.reshape(param.ordering(), param.shape());
        visitor.visit(layer, state.getParamName(), slot, shaped);
      }
    }
  }

  /** Writes the state (see {@link #readFrom}). */
  public void writeTo(DataOutputStream out) throws IOException {
    out.writeInt(iterations);
    out.writeInt(arrays.size());
    for (Map.Entry<String, Map<String, List<INDArray>>> layer : arrays.entrySet()) {
      out.writeUTF(layer.getKey());
      out.writeInt(layer.getValue().size());
      for (Map.Entry<String, List<INDArray>> param : layer.getValue().entrySet()) {
        out.writeUTF(param.getKey());
        out.writeInt(param.getValue().size());
        for (INDArray array : param.getValue()) {
          Nd4j.write(array, out);
        }
      }
    }
  }

  /** Reads a state written by {@link #writeTo}. */
  public static OptimizerState readFrom(DataInputStream in) throws IOException {
    int iterations = in.readInt();
    int layers = in.readInt();
    Map<String, Map<String, List<INDArray>>> arrays = new LinkedHashMap<>();
    for (int i = 0; i < layers; i++) {
      String layer = in.readUTF();
      int params = in.readInt();
      Map<String, List<INDArray>> byParam = new LinkedHashMap<>();
      for (int p = 0; p < params; p++) {
        String param = in.readUTF();
        int count = in.readInt();
        List<INDArray> state = new ArrayList<>();
        for (int c = 0; c < count; c++) {
          state.add(Nd4j.read(in));
        }
        byParam.put(param, state);
      }
      arrays.put(layer, byParam);
    }
    return new OptimizerState(arrays, iterations);
  }
}
