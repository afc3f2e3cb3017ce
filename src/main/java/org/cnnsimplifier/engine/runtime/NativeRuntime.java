package org.cnnsimplifier.engine.runtime;

import org.nd4j.linalg.factory.Nd4j;

/**
 * Puts ND4J and DL4J in their fastest correct configuration, once per process.
 *
 * <p>DL4J only uses its oneDNN convolution, pooling and batch-norm helpers when the system property
 * {@value #HELPERS_DISABLE} is {@code false}; its default is {@code true}. The helper check also
 * needs {@link org.nd4j.nativeblas.Nd4jCpu}, which answers a look-up that ND4J 1.0.0-M2.1 no longer
 * satisfies itself. Networks stay NCHW: with NHWC the oneDNN helper computes wrong convolution
 * weight gradients.
 *
 * <p>Call {@link #initialize()} before building any network; {@link #helpersEnabled()} tells
 * whether the fast path is on. Setting the system property to {@code true} on the command line
 * turns the helpers off (the plain path), for comparison.
 *
 * <p>DL4J reads the property each time it constructs a layer ({@code HelperUtils.createHelper},
 * called from the constructors of the convolution, pooling and batch-norm layers), not once per
 * process. So networks built before {@link #initialize()} have no helpers, and a network built
 * afterwards can still be put on the plain path by {@link FastPath#removeHelpers}: one process can
 * compare both without touching this global property. {@link FastPath#apply} attaches helpers to
 * layers built too early.
 */
public final class NativeRuntime {
  /** DL4J's switch for its native layer helpers. */
  public static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";

  private static volatile boolean initialized;

  private NativeRuntime() {}

  /** Enables the native layer helpers unless the user has said otherwise; idempotent. */
  public static void initialize() {
    if (initialized) {
      return;
    }
    synchronized (NativeRuntime.class) {
      if (initialized) {
        return;
      }
      if (System.getProperty(HELPERS_DISABLE) == null) {
        System.setProperty(HELPERS_DISABLE, "false");
      }
      // Loads the backend now so a missing native library fails here, with ND4J's message.
      Nd4j.getBackend();
      initialized = true;
    }
  }

  /** Whether DL4J will attach oneDNN helpers to the layers it creates from now on. */
  public static boolean helpersEnabled() {
    initialize();
    return !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE, "true"))
        && org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled();
  }
}
