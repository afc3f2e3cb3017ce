package org.cnnsimplifier.engine.model.keras;

import static org.bytedeco.hdf5.global.hdf5.H5F_ACC_TRUNC;
import static org.bytedeco.hdf5.global.hdf5.H5S_SCALAR;
import static org.bytedeco.hdf5.global.hdf5.H5T_STR_NULLPAD;
import static org.bytedeco.hdf5.global.hdf5.H5T_VARIABLE;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.H5Object;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.StrType;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;

/**
 * Writes HDF5 the way Keras (h5py) does: scalar attributes as variable-length strings, name lists
 * as fixed-length null-padded string arrays, an empty list as an empty float64 array, weights as
 * float32 datasets. The HDF5 library is not thread-safe; every call holds the lock DL4J's Keras
 * reader uses.
 */
final class Hdf5Writer implements AutoCloseable {
  static {
    Loader.load(org.bytedeco.hdf5.global.hdf5.class);
  }

  private final H5File file;

  Hdf5Writer(Path path) {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      this.file = new H5File(path.toString(), H5F_ACC_TRUNC());
    }
  }

  H5File root() {
    return file;
  }

  Group group(Group parent, String name) {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      return parent.createGroup(name);
    }
  }

  /** A scalar variable-length string attribute (Keras' model_config, keras_version, backend). */
  void text(H5Object target, String name, String value) {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      StrType type = new StrType(PredType.C_S1(), H5T_VARIABLE());
      DataSpace space = new DataSpace(H5S_SCALAR);
      Attribute attribute = target.createAttribute(name, type, space);
      attribute.write(type, value);
      attribute.deallocate();
      space.deallocate();
      type.deallocate();
    }
  }

  /**
   * A list of names as Keras writes it: a fixed-length, null-padded string array as long as the
   * longest name, or an empty float64 array when there are none.
   */
  void names(H5Object target, String name, List<String> values) {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      if (values.isEmpty()) {
        DataSpace space = new DataSpace(1, new long[] {0});
        Attribute attribute = target.createAttribute(name, PredType.IEEE_F64LE(), space);
        attribute.deallocate();
        space.deallocate();
        return;
      }
      int width = 1;
      for (String v : values) {
        width = Math.max(width, v.getBytes(StandardCharsets.UTF_8).length);
      }
      byte[] buffer = new byte[width * values.size()];
      for (int i = 0; i < values.size(); i++) {
        byte[] bytes = values.get(i).getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, buffer, i * width, bytes.length);
      }
      StrType type = new StrType(PredType.C_S1(), width);
      type.setStrpad(H5T_STR_NULLPAD);
      DataSpace space = new DataSpace(1, new long[] {values.size()});
      Attribute attribute = target.createAttribute(name, type, space);
      BytePointer data = new BytePointer(buffer);
      attribute.write(type, data);
      data.deallocate();
      attribute.deallocate();
      space.deallocate();
      type.deallocate();
    }
  }

  /** A float32 dataset of the given shape (c order). */
  void floats(Group parent, String name, long[] shape, float[] values) {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      DataSpace space = new DataSpace(shape.length, shape);
      DataSet dataset = parent.createDataSet(name, PredType.IEEE_F32LE(), space);
      FloatPointer data = new FloatPointer(values);
      dataset.write(data, PredType.NATIVE_FLOAT());
      data.deallocate();
      dataset.deallocate();
      space.deallocate();
    }
  }

  void close(Group group) {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      group.deallocate();
    }
  }

  @Override
  public void close() {
    synchronized (Hdf5Archive.LOCK_OBJECT) {
      file.deallocate();
    }
  }
}
