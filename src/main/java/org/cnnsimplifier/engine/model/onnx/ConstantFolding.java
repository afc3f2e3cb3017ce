package org.cnnsimplifier.engine.model.onnx;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import onnx.Onnx;

/**
 * Evaluates nodes whose inputs are all known when the model is read. PyTorch exports write shape
 * arithmetic into the graph — {@code F.pad} becomes ConstantOfShape, Concat, Reshape, Slice,
 * Transpose and Cast of constants; {@code x.view(x.size(0), -1)} becomes Shape, Gather, Unsqueeze
 * and Concat — and these reduce to the constants the importable operators take (pads, target
 * shapes). The batch size stays unknown ({@link Constant#BATCH}).
 */
final class ConstantFolding {
  /** Operators evaluated when every input is a constant. */
  static final Set<String> FOLDABLE =
      Set.of(
          "Constant",
          "Identity",
          "Cast",
          "Shape",
          "Gather",
          "Unsqueeze",
          "Squeeze",
          "Concat",
          "Reshape",
          "Slice",
          "Transpose",
          "ConstantOfShape",
          "Add",
          "Sub",
          "Mul",
          "Div",
          "Flatten");

  private ConstantFolding() {}

  /**
   * The node's output for constant inputs.
   *
   * @param inputs the node's inputs, null for an omitted optional input
   * @throws IllegalArgumentException when the values cannot be folded (the message says why)
   */
  static Constant fold(Onnx.NodeProto node, List<Constant> inputs, int opset) {
    Attributes attributes = new Attributes(node);
    Constant x = inputs.isEmpty() ? null : inputs.get(0);
    return switch (node.getOpType()) {
      case "Constant" -> constant(attributes);
      case "Identity" -> x;
      case "Cast" -> cast(x, attributes.integer("to", 1));
      case "Shape" -> shape(x.dims(), attributes, false);
      case "Gather" -> gather(x, inputs.get(1), attributes.integer("axis", 0));
      case "Unsqueeze" -> unsqueeze(x, axes(inputs, attributes, opset));
      case "Squeeze" -> squeeze(x, axes(inputs, attributes, opset));
      case "Concat" -> concat(inputs, attributes.integer("axis", 0));
      case "Reshape" -> x.reshaped(reshape(x.dims(), inputs.get(1).longs(), x.size()));
      case "Slice" -> slice(x, inputs);
      case "Transpose" -> transpose(x, attributes.integers("perm", null));
      case "ConstantOfShape" -> constantOfShape(x, attributes);
      case "Add", "Sub", "Mul", "Div" -> arithmetic(node.getOpType(), x, inputs.get(1));
      case "Flatten" -> flatten(x, attributes.integer("axis", 1));
      default -> throw new IllegalArgumentException("cannot evaluate " + node.getOpType());
    };
  }

  /** {@code Shape} of a tensor whose dimensions are {@code dims}, the batch unknown if asked. */
  static Constant shape(long[] dims, Attributes attributes, boolean batchUnknown) {
    long[] values = dims.clone();
    if (batchUnknown && values.length > 0) {
      values[0] = Constant.BATCH;
    }
    int rank = values.length;
    int start = (int) clampAxis(attributes.integer("start", 0), rank);
    int end = (int) clampAxis(attributes.integer("end", rank), rank);
    long[] kept = Arrays.copyOfRange(values, start, Math.max(start, end));
    return Constant.ofInts(new long[] {kept.length}, kept);
  }

  private static long clampAxis(long axis, int rank) {
    long a = axis < 0 ? axis + rank : axis;
    return Math.max(0, Math.min(rank, a));
  }

  private static Constant constant(Attributes attributes) {
    if (attributes.tensor("value") != null) {
      return OnnxTensors.read(attributes.tensor("value"));
    }
    if (attributes.has("value_float")) {
      return Constant.ofFloats(new long[0], new float[] {attributes.real("value_float", 0)});
    }
    if (attributes.has("value_floats")) {
      float[] values = attributes.reals("value_floats");
      return Constant.ofFloats(new long[] {values.length}, values);
    }
    if (attributes.has("value_int")) {
      return Constant.ofInts(new long[0], new long[] {attributes.integer("value_int", 0)});
    }
    if (attributes.has("value_ints")) {
      long[] values = attributes.integers("value_ints", new long[0]);
      return Constant.ofInts(new long[] {values.length}, values);
    }
    throw new IllegalArgumentException("a Constant without a numeric value");
  }

  private static Constant cast(Constant x, long to) {
    // 1 FLOAT, 10 FLOAT16, 11 DOUBLE, 16 BFLOAT16: floating point; the rest integers or bools.
    boolean floating = to == 1 || to == 10 || to == 11 || to == 16;
    if (floating) {
      return Constant.ofFloats(x.dims(), x.values());
    }
    if (x.isInteger()) {
      return x;
    }
    return Constant.ofInts(x.dims(), x.longs());
  }

  private static long[] axes(List<Constant> inputs, Attributes attributes, int opset) {
    if (opset >= 13) {
      return inputs.size() > 1 && inputs.get(1) != null ? inputs.get(1).longs() : new long[0];
    }
    return attributes.integers("axes", new long[0]);
  }

  private static Constant gather(Constant data, Constant indices, long axis) {
    if (data.rank() != 1 || axis != 0) {
      throw new IllegalArgumentException("Gather is evaluated on 1-D shapes only");
    }
    long[] picks = indices.longs();
    int n = data.size();
    long[] outInts = data.isInteger() ? new long[picks.length] : null;
    float[] outFloats = data.isInteger() ? null : new float[picks.length];
    for (int i = 0; i < picks.length; i++) {
      int index = (int) (picks[i] < 0 ? picks[i] + n : picks[i]);
      if (index < 0 || index >= n) {
        throw new IllegalArgumentException("Gather index " + picks[i] + " out of range");
      }
      if (outInts != null) {
        outInts[i] = data.ints()[index];
      } else {
        outFloats[i] = data.floats()[index];
      }
    }
    return new Constant(indices.dims(), outFloats, outInts);
  }

  private static Constant unsqueeze(Constant x, long[] axes) {
    int rank = x.rank() + axes.length;
    boolean[] inserted = new boolean[rank];
    for (long axis : axes) {
      inserted[(int) (axis < 0 ? axis + rank : axis)] = true;
    }
    long[] dims = new long[rank];
    for (int i = 0, j = 0; i < rank; i++) {
      dims[i] = inserted[i] ? 1 : x.dims()[j++];
    }
    return x.reshaped(dims);
  }

  private static Constant squeeze(Constant x, long[] axes) {
    long[] dims = x.dims();
    boolean[] removed = new boolean[dims.length];
    if (axes.length == 0) {
      for (int i = 0; i < dims.length; i++) {
        removed[i] = dims[i] == 1;
      }
    } else {
      for (long axis : axes) {
        removed[(int) (axis < 0 ? axis + dims.length : axis)] = true;
      }
    }
    return x.reshaped(
        java.util.stream.IntStream.range(0, dims.length)
            .filter(i -> !removed[i])
            .mapToLong(i -> dims[i])
            .toArray());
  }

  private static Constant concat(List<Constant> parts, long axis) {
    Constant first = parts.get(0);
    int rank = first.rank();
    int a = (int) (axis < 0 ? axis + rank : axis);
    long outer = 1;
    for (int i = 0; i < a; i++) {
      outer *= first.dims()[i];
    }
    long[] dims = first.dims().clone();
    dims[a] = 0;
    boolean integer = parts.stream().allMatch(Constant::isInteger);
    int total = 0;
    for (Constant part : parts) {
      dims[a] += part.dims()[a];
      total += part.size();
    }
    long[] outInts = integer ? new long[total] : null;
    float[] outFloats = integer ? null : new float[total];
    int at = 0;
    for (long o = 0; o < outer; o++) {
      for (Constant part : parts) {
        int block = (int) (part.size() / outer);
        for (int i = 0; i < block; i++) {
          int from = (int) (o * block + i);
          if (integer) {
            outInts[at++] = part.ints()[from];
          } else {
            outFloats[at++] = part.values()[from];
          }
        }
      }
    }
    return new Constant(dims, outFloats, outInts);
  }

  /**
   * The dimensions {@code target} means for a tensor of {@code dims} ({@code 0} copies, -1 infers).
   */
  static long[] reshape(long[] dims, long[] target, long size) {
    long[] out = target.clone();
    int infer = -1;
    long known = 1;
    for (int i = 0; i < out.length; i++) {
      if (out[i] == 0 && i < dims.length) {
        out[i] = dims[i];
      }
      if (out[i] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException("Reshape with more than one -1");
        }
        infer = i;
      } else {
        known *= out[i];
      }
    }
    if (infer >= 0) {
      out[infer] = known == 0 ? 0 : size / known;
    }
    return out;
  }

  private static Constant slice(Constant x, List<Constant> inputs) {
    long[] starts = inputs.get(1).longs();
    long[] ends = inputs.get(2).longs();
    int rank = x.rank();
    long[] axes =
        inputs.size() > 3 && inputs.get(3) != null
            ? inputs.get(3).longs()
            : java.util.stream.LongStream.range(0, starts.length).toArray();
    long[] steps =
        inputs.size() > 4 && inputs.get(4) != null ? inputs.get(4).longs() : ones(starts.length);
    long[] begin = new long[rank];
    long[] step = ones(rank);
    long[] count = x.dims().clone();
    for (int i = 0; i < axes.length; i++) {
      int a = (int) (axes[i] < 0 ? axes[i] + rank : axes[i]);
      long dim = x.dims()[a];
      long s = steps[i];
      if (s == 0) {
        throw new IllegalArgumentException("Slice with step 0");
      }
      long from = starts[i] < 0 ? starts[i] + dim : starts[i];
      long to = ends[i] < 0 ? ends[i] + dim : ends[i];
      if (s > 0) {
        from = Math.max(0, Math.min(dim, from));
        to = Math.max(0, Math.min(dim, to));
        count[a] = Math.max(0, (to - from + s - 1) / s);
      } else {
        from = Math.max(-1, Math.min(dim - 1, from));
        to = Math.max(-1, Math.min(dim - 1, to));
        count[a] = Math.max(0, (from - to - s - 1) / -s);
      }
      begin[a] = from;
      step[a] = s;
    }
    return gatherIndexed(
        x,
        count,
        index -> {
          long flat = 0;
          long stride = 1;
          for (int d = rank - 1; d >= 0; d--) {
            flat += (begin[d] + index[d] * step[d]) * stride;
            stride *= x.dims()[d];
          }
          return flat;
        });
  }

  private static Constant transpose(Constant x, long[] perm) {
    int rank = x.rank();
    long[] p =
        perm != null
            ? perm
            : java.util.stream.LongStream.range(0, rank).map(i -> rank - 1 - i).toArray();
    long[] dims = new long[rank];
    for (int i = 0; i < rank; i++) {
      dims[i] = x.dims()[(int) p[i]];
    }
    long[] strides = strides(x.dims());
    return gatherIndexed(
        x,
        dims,
        index -> {
          long flat = 0;
          for (int i = 0; i < rank; i++) {
            flat += index[i] * strides[(int) p[i]];
          }
          return flat;
        });
  }

  private static Constant constantOfShape(Constant shape, Attributes attributes) {
    long[] dims = shape.longs();
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    Onnx.TensorProto value = attributes.tensor("value");
    Constant fill =
        value == null ? Constant.ofFloats(new long[0], new float[] {0}) : OnnxTensors.read(value);
    if (fill.isInteger()) {
      long[] out = new long[(int) n];
      Arrays.fill(out, fill.ints()[0]);
      return Constant.ofInts(dims, out);
    }
    float[] out = new float[(int) n];
    Arrays.fill(out, fill.floats()[0]);
    return Constant.ofFloats(dims, out);
  }

  private static Constant arithmetic(String op, Constant a, Constant b) {
    if (a.size() != b.size() && a.size() != 1 && b.size() != 1) {
      throw new IllegalArgumentException(op + " of constants needs equal shapes or a scalar");
    }
    Constant shapeOf = a.size() >= b.size() ? a : b;
    int n = shapeOf.size();
    if (a.isInteger() && b.isInteger()) {
      long[] out = new long[n];
      for (int i = 0; i < n; i++) {
        long x = a.ints()[a.size() == 1 ? 0 : i];
        long y = b.ints()[b.size() == 1 ? 0 : i];
        if (x == Constant.BATCH || y == Constant.BATCH) {
          throw new IllegalArgumentException(op + " on the batch size");
        }
        out[i] =
            switch (op) {
              case "Add" -> x + y;
              case "Sub" -> x - y;
              case "Mul" -> x * y;
              default -> Math.floorDiv(x, y);
            };
      }
      return Constant.ofInts(shapeOf.dims(), out);
    }
    float[] va = a.values();
    float[] vb = b.values();
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      float x = va[a.size() == 1 ? 0 : i];
      float y = vb[b.size() == 1 ? 0 : i];
      out[i] =
          switch (op) {
            case "Add" -> x + y;
            case "Sub" -> x - y;
            case "Mul" -> x * y;
            default -> x / y;
          };
    }
    return Constant.ofFloats(shapeOf.dims(), out);
  }

  private static Constant flatten(Constant x, long axis) {
    int rank = x.rank();
    int a = (int) (axis < 0 ? axis + rank : axis);
    long outer = 1;
    for (int i = 0; i < a; i++) {
      outer *= x.dims()[i];
    }
    return x.reshaped(outer, outer == 0 ? 0 : x.size() / outer);
  }

  private interface FlatIndex {
    long of(long[] index);
  }

  /** A tensor of {@code dims} whose element at each index is x's element at {@code source}. */
  private static Constant gatherIndexed(Constant x, long[] dims, FlatIndex source) {
    long n = 1;
    for (long d : dims) {
      n *= d;
    }
    long[] outInts = x.isInteger() ? new long[(int) n] : null;
    float[] outFloats = x.isInteger() ? null : new float[(int) n];
    long[] index = new long[dims.length];
    for (int i = 0; i < n; i++) {
      int from = (int) source.of(index);
      if (outInts != null) {
        outInts[i] = x.ints()[from];
      } else {
        outFloats[i] = x.floats()[from];
      }
      for (int d = dims.length - 1; d >= 0; d--) {
        if (++index[d] < dims[d]) {
          break;
        }
        index[d] = 0;
      }
    }
    return new Constant(dims, outFloats, outInts);
  }

  private static long[] strides(long[] dims) {
    long[] strides = new long[dims.length];
    long stride = 1;
    for (int d = dims.length - 1; d >= 0; d--) {
      strides[d] = stride;
      stride *= dims[d];
    }
    return strides;
  }

  private static long[] ones(int n) {
    long[] out = new long[n];
    Arrays.fill(out, 1);
    return out;
  }
}
