package org.cnnsimplifier.engine.runtime;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.deeplearning4j.nn.layers.wrapper.BaseWrapperLayer;

/**
 * Attaches and detaches DL4J's native (oneDNN) layer helpers on live layer instances.
 *
 * <p>DL4J creates a layer's helper once, in the layer's constructor, and keeps it in a {@code
 * helper} field; there is no public setter. These methods reach that field and the layer's
 * package-private {@code initializeHelper()} by reflection, which works because DL4J runs on the
 * class path (unnamed module).
 */
final class LayerHelpers {
  private static final String FIELD = "helper";
  private static final String INITIALIZER = "initializeHelper";

  private LayerHelpers() {}

  /** The layer a wrapper (such as a frozen layer) delegates to; the layer itself otherwise. */
  static Layer unwrap(Layer layer) {
    Layer current = layer;
    while (current instanceof BaseWrapperLayer wrapper) {
      current = wrapper.getUnderlying();
    }
    return current;
  }

  /**
   * Whether the fast path may use a helper on this layer: exactly DL4J's 2D convolution, pooling or
   * batch-normalization layer (not subclasses such as deconvolution, which have their own passes)
   * with NCHW activations. Only this combination is covered by the agreement test; with NHWC,
   * M2.1's oneDNN convolution helper returns wrong weight gradients.
   */
  static boolean mayUseHelper(Layer layer) {
    Layer inner = unwrap(layer);
    Class<?> type = inner.getClass();
    Object conf = inner.conf().getLayer();
    if (type == ConvolutionLayer.class
        && conf instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer c) {
      return c.getCnn2dDataFormat() != CNN2DFormat.NHWC;
    }
    if (type == SubsamplingLayer.class
        && conf instanceof org.deeplearning4j.nn.conf.layers.SubsamplingLayer s) {
      return s.getCnn2dDataFormat() != CNN2DFormat.NHWC;
    }
    if (type == BatchNormalization.class
        && conf instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization b) {
      return b.getCnn2DFormat() != CNN2DFormat.NHWC;
    }
    return false;
  }

  /** Whether the layer (or the layer it wraps) has a helper field at all. */
  static boolean supportsHelper(Layer layer) {
    return helperField(unwrap(layer).getClass()) != null;
  }

  /** Whether the layer currently has a helper attached. */
  static boolean hasHelper(Layer layer) {
    Layer inner = unwrap(layer);
    Field field = helperField(inner.getClass());
    if (field == null) {
      return false;
    }
    try {
      return field.get(inner) != null;
    } catch (IllegalAccessException e) {
      throw inaccessible(inner, e);
    }
  }

  /** Drops the layer's helper so it runs DL4J's built-in Java/libnd4j implementation. */
  static void detach(Layer layer) {
    Layer inner = unwrap(layer);
    Field field = helperField(inner.getClass());
    if (field == null) {
      return;
    }
    try {
      field.set(inner, null);
    } catch (IllegalAccessException e) {
      throw inaccessible(inner, e);
    }
  }

  /**
   * Asks DL4J to create the layer's helper, as its constructor does. DL4J returns none when the
   * helpers are disabled by system property or the backend has no oneDNN; that is respected.
   */
  static void attach(Layer layer) {
    Layer inner = unwrap(layer);
    Method initializer = declared(inner.getClass());
    if (initializer == null) {
      return;
    }
    try {
      initializer.invoke(inner);
    } catch (IllegalAccessException e) {
      throw inaccessible(inner, e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "DL4J could not create the native helper of " + inner.getClass().getSimpleName(),
          e.getCause());
    }
  }

  private static Field helperField(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      try {
        Field field = c.getDeclaredField(FIELD);
        field.setAccessible(true);
        return field;
      } catch (NoSuchFieldException e) {
        // Declared higher up, or not at all.
      }
    }
    return null;
  }

  private static Method declared(Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      try {
        Method method = c.getDeclaredMethod(INITIALIZER);
        method.setAccessible(true);
        return method;
      } catch (NoSuchMethodException e) {
        // Declared higher up, or not at all.
      }
    }
    return null;
  }

  private static IllegalStateException inaccessible(Layer layer, Exception cause) {
    return new IllegalStateException(
        "cannot reach the native helper of "
            + layer.getClass().getName()
            + "; DL4J must be on the class path, not the module path",
        cause);
  }
}
