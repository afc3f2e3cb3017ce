package org.cnnsimplifier.engine.runtime;

import java.util.List;

/**
 * What {@link FastPath} did to a network.
 *
 * @param withHelper layers that now run on a native (oneDNN) helper
 * @param helperRemoved layers whose helper was removed because its result is not known to be
 *     correct there (for example an NHWC convolution)
 * @param withoutHelper layers that could use a helper but have none, because the helpers are
 *     disabled in this process (see {@link NativeRuntime#helpersEnabled()})
 */
public record FastPathReport(
    List<String> withHelper, List<String> helperRemoved, List<String> withoutHelper) {
  public FastPathReport {
    withHelper = List.copyOf(withHelper);
    helperRemoved = List.copyOf(helperRemoved);
    withoutHelper = List.copyOf(withoutHelper);
  }

  /** Whether at least one layer runs on a native helper. */
  public boolean helpersActive() {
    return !withHelper.isEmpty();
  }
}
