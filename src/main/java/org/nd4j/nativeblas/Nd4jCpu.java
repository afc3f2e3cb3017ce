package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Answers Deeplearning4j 1.0.0-M2.1's look-up of the CPU backend's environment.
 *
 * <p>DL4J decides whether its oneDNN layer helpers may run by loading {@code
 * org.nd4j.nativeblas.Nd4jCpu$Environment} by reflection, but in ND4J 1.0.0-M2.1 that class moved
 * to {@code org.nd4j.linalg.cpu.nativecpu.bindings}. The look-up fails and every helper is dropped,
 * making convolutions about seven times slower. This class restores the old name and delegates to
 * the real environment, found by reflection too so that the CUDA build (without the CPU backend)
 * still compiles and runs. See {@code org.cnnsimplifier.engine.runtime.NativeRuntime}.
 */
public final class Nd4jCpu {
  private Nd4jCpu() {}

  /** The subset of the native environment that DL4J's helper check calls. */
  public static final class Environment {
    private static final String REAL = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";
    private static final Environment INSTANCE = new Environment();

    private Environment() {}

    public static Environment getInstance() {
      return INSTANCE;
    }

    public boolean isUseMKLDNN() {
      return isUseONEDNN();
    }

    public boolean isUseONEDNN() {
      return (Boolean) call("isUseONEDNN", false);
    }

    public void allowHelpers(boolean allow) {
      call("allowHelpers", null, allow);
    }

    public boolean helpersAllowed() {
      return (Boolean) call("helpersAllowed", false);
    }

    private static Object call(String method, Object fallback, Object... args) {
      try {
        Class<?> real = Class.forName(REAL);
        Object instance = real.getMethod("getInstance").invoke(null);
        Class<?>[] types = args.length == 0 ? new Class<?>[0] : new Class<?>[] {boolean.class};
        Method m = real.getMethod(method, types);
        Object result = m.invoke(instance, args);
        return result == null ? fallback : result;
      } catch (ReflectiveOperationException | LinkageError e) {
        return fallback; // not the CPU backend: no oneDNN helpers
      }
    }
  }
}
