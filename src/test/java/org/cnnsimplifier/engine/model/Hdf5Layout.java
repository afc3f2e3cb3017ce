package org.cnnsimplifier.engine.model;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.H5Object;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.StrType;
import org.bytedeco.hdf5.global.hdf5;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

/**
 * What an HDF5 file holds, as text: every attribute with its type ("vlen string", "string[21]
 * nullpad x6", "float64 x0") and, for name lists, its values; every dataset with its type and
 * shape. Two files written the same way give the same descriptions.
 */
public final class Hdf5Layout {
  static {
    Loader.load(hdf5.class);
  }

  private Hdf5Layout() {}

  /** Path (with "@attribute" for attributes) to description, sorted by path. */
  public static Map<String, String> of(Path file) {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      Map<String, String> out = new TreeMap<>();
      H5File h5 = new H5File(file.toString(), hdf5.H5F_ACC_RDONLY());
      try {
        visit(h5, "", out);
      } finally {
        h5.deallocate();
      }
      return out;
    }
  }

  /** A float32 dataset's values. */
  public static float[] floats(Path file, String path) {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      H5File h5 = new H5File(file.toString(), hdf5.H5F_ACC_RDONLY());
      try {
        DataSet dataset = h5.openDataSet(path);
        long n = dataset.getSpace().getSimpleExtentNpoints();
        FloatPointer data = new FloatPointer(n);
        dataset.read(data, PredType.NATIVE_FLOAT());
        float[] values = new float[(int) n];
        data.get(values);
        dataset.deallocate();
        return values;
      } finally {
        h5.deallocate();
      }
    }
  }

  private static void visit(Group group, String path, Map<String, String> out) {
    attributes(group, path.isEmpty() ? "/" : path, out);
    for (long i = 0; i < group.getNumObjs(); i++) {
      String name = group.getObjnameByIdx(i).getString(StandardCharsets.UTF_8);
      String child = path + "/" + name;
      if (group.childObjType(name) == hdf5.H5O_TYPE_GROUP) {
        Group sub = group.openGroup(name);
        visit(sub, child, out);
        sub.deallocate();
      } else {
        DataSet dataset = group.openDataSet(name);
        long[] dims = new long[dataset.getSpace().getSimpleExtentNdims()];
        dataset.getSpace().getSimpleExtentDims(dims);
        out.put(
            child,
            typeName(
                    dataset.asAbstractDs().getTypeClass(),
                    dataset.asAbstractDs().getDataType().getSize())
                + " "
                + java.util.Arrays.toString(dims));
        dataset.deallocate();
      }
    }
  }

  private static void attributes(H5Object object, String path, Map<String, String> out) {
    for (int i = 0; i < object.getNumAttrs(); i++) {
      Attribute attribute = object.openAttribute(i);
      String name = attribute.getName().getString(StandardCharsets.UTF_8);
      long[] dims = new long[Math.max(0, attribute.getSpace().getSimpleExtentNdims())];
      attribute.getSpace().getSimpleExtentDims(dims);
      String description;
      if (attribute.getTypeClass() == hdf5.H5T_STRING) {
        StrType type = attribute.getStrType();
        if (type.isVariableStr()) {
          description = "vlen string" + (dims.length == 0 ? "" : " x" + dims[0]);
        } else {
          description =
              "string["
                  + type.getSize()
                  + "] "
                  + (type.getStrpad() == hdf5.H5T_STR_NULLPAD ? "nullpad" : "nullterm")
                  + " x"
                  + (dims.length == 0 ? 1 : dims[0])
                  + " "
                  + fixedStrings(attribute, type, dims.length == 0 ? 1 : (int) dims[0]);
        }
      } else {
        description =
            typeName(attribute.getTypeClass(), attribute.getDataType().getSize())
                + " x"
                + (dims.length == 0 ? 1 : dims[0]);
      }
      out.put(path + "@" + name, description);
      attribute.deallocate();
    }
  }

  private static List<String> fixedStrings(Attribute attribute, StrType type, int count) {
    int width = (int) type.getSize();
    BytePointer buffer = new BytePointer((long) width * count);
    attribute.read(type, (Pointer) buffer);
    byte[] bytes = new byte[width * count];
    buffer.get(bytes);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int end = i * width;
      while (end < (i + 1) * width && bytes[end] != 0) {
        end++;
      }
      values.add(new String(bytes, i * width, end - i * width, StandardCharsets.UTF_8));
    }
    return values;
  }

  private static String typeName(int typeClass, long size) {
    return switch (typeClass) {
      case hdf5.H5T_FLOAT -> "float" + (size * 8);
      case hdf5.H5T_INTEGER -> "int" + (size * 8);
      default -> "class" + typeClass;
    };
  }
}
