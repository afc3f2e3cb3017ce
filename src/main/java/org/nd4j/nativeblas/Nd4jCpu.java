package org.nd4j.nativeblas;

/**
 * Answers Deeplearning4j 1.0.0-M2.1's look-up of the CPU backend's environment.
 *
 * <p>DL4J decides whether its oneDNN layer helpers may run by loading {@code
 * org.nd4j.nativeblas.Nd4jCpu$Environment} by reflection, but in ND4J 1.0.0-M2.1 that class moved
 * to {@code org.nd4j.linalg.cpu.nativecpu.bindings}. The look-up fails and every helper is dropped,
 * making convolutions about seven times slower. This class restores the old name and delegates to
 * the real environment. See {@code org.cnnsimplifier.engine.runtime.NativeRuntime}.
 */
public final class Nd4jCpu {
  private Nd4jCpu() {}

  /** The subset of the native environment that DL4J's helper check calls. */
  public static final class Environment {
    private static final Environment INSTANCE = new Environment();

    private Environment() {}

    public static Environment getInstance() {
      return INSTANCE;
    }

    public boolean isUseMKLDNN() {
      return isUseONEDNN();
    }

    public boolean isUseONEDNN() {
      return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
    }

    public void allowHelpers(boolean allow) {
      org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().allowHelpers(allow);
    }

    public boolean helpersAllowed() {
      return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance()
          .helpersAllowed();
    }
  }
}
