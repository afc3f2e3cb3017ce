package org.cnnsimplifier.engine.model.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import onnx.Onnx;
import org.cnnsimplifier.engine.InvalidModelException;
import org.nd4j.shade.protobuf.ByteString;

/** ONNX {@code TensorProto}s to and from {@link Constant}s. */
final class OnnxTensors {
  private OnnxTensors() {}

  static Constant read(Onnx.TensorProto tensor) {
    if (tensor.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL
        || tensor.getExternalDataCount() > 0) {
      throw new InvalidModelException(
          "tensor '"
              + tensor.getName()
              + "' is stored in an external file; save the model with every weight inside the"
              + " .onnx file (torch.onnx.export does so for models under 2 GB)");
    }
    long[] dims = tensor.getDimsList().stream().mapToLong(Long::longValue).toArray();
    long count = 1;
    for (long d : dims) {
      count *= d;
    }
    if (count > Integer.MAX_VALUE) {
      throw new InvalidModelException("tensor '" + tensor.getName() + "' is too large");
    }
    int n = (int) count;
    ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    boolean hasRaw = !tensor.getRawData().isEmpty();
    Onnx.TensorProto.DataType type = Onnx.TensorProto.DataType.forNumber(tensor.getDataType());
    if (type == null) {
      type = Onnx.TensorProto.DataType.UNDEFINED;
    }
    switch (type) {
      case FLOAT -> {
        float[] values = new float[n];
        if (hasRaw) {
          checkLength(tensor, raw.remaining(), 4L * n);
          raw.asFloatBuffer().get(values);
        } else {
          checkLength(tensor, tensor.getFloatDataCount(), n);
          for (int i = 0; i < n; i++) {
            values[i] = tensor.getFloatData(i);
          }
        }
        return Constant.ofFloats(dims, values);
      }
      case DOUBLE -> {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
          values[i] = (float) (hasRaw ? raw.getDouble(8 * i) : tensor.getDoubleData(i));
        }
        if (hasRaw) {
          checkLength(tensor, raw.remaining(), 8L * n);
        }
        return Constant.ofFloats(dims, values);
      }
      case INT64 -> {
        long[] values = new long[n];
        if (hasRaw) {
          checkLength(tensor, raw.remaining(), 8L * n);
          raw.asLongBuffer().get(values);
        } else {
          checkLength(tensor, tensor.getInt64DataCount(), n);
          for (int i = 0; i < n; i++) {
            values[i] = tensor.getInt64Data(i);
          }
        }
        return Constant.ofInts(dims, values);
      }
      case INT32, INT16, INT8, UINT8, UINT16, BOOL -> {
        long[] values = new long[n];
        int width =
            switch (type) {
              case INT32 -> 4;
              case INT16, UINT16 -> 2;
              default -> 1;
            };
        if (hasRaw) {
          checkLength(tensor, raw.remaining(), (long) width * n);
        } else {
          checkLength(tensor, tensor.getInt32DataCount(), n);
        }
        for (int i = 0; i < n; i++) {
          values[i] = hasRaw ? rawInteger(raw, type, i) : tensor.getInt32Data(i);
        }
        return Constant.ofInts(dims, values);
      }
      default ->
          throw new InvalidModelException(
              "tensor '"
                  + tensor.getName()
                  + "' has data type "
                  + type
                  + "; only float32 weights (and integer shapes) are supported");
    }
  }

  private static long rawInteger(ByteBuffer raw, Onnx.TensorProto.DataType type, int i) {
    return switch (type) {
      case INT32 -> raw.getInt(4 * i);
      case INT16 -> raw.getShort(2 * i);
      case UINT16 -> raw.getShort(2 * i) & 0xFFFF;
      case UINT8, BOOL -> raw.get(i) & 0xFF;
      default -> raw.get(i);
    };
  }

  private static void checkLength(Onnx.TensorProto tensor, long actual, long expected) {
    if (actual != expected) {
      throw new InvalidModelException(
          "tensor '"
              + tensor.getName()
              + "' holds "
              + actual
              + " values or bytes where its shape needs "
              + expected
              + " (damaged file?)");
    }
  }

  /** A float32 tensor with raw little-endian data. */
  static Onnx.TensorProto floats(String name, long[] dims, float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return Onnx.TensorProto.newBuilder()
        .setName(name)
        .setDataType(Onnx.TensorProto.DataType.FLOAT.getNumber())
        .addAllDims(java.util.Arrays.stream(dims).boxed().toList())
        .setRawData(ByteString.copyFrom(bytes.array()))
        .build();
  }

  /** An int64 tensor. */
  static Onnx.TensorProto longs(String name, long[] dims, long[] values) {
    return Onnx.TensorProto.newBuilder()
        .setName(name)
        .setDataType(Onnx.TensorProto.DataType.INT64.getNumber())
        .addAllDims(java.util.Arrays.stream(dims).boxed().toList())
        .addAllInt64Data(java.util.Arrays.stream(values).boxed().toList())
        .build();
  }
}
