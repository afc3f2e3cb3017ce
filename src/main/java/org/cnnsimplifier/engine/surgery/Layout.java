package org.cnnsimplifier.engine.surgery;

import java.util.Arrays;

/**
 * The channels of one activation as the dependency graph sees them: for each position along the
 * channel (or feature) dimension, the atom it carries, and whether the position stays zero when its
 * source's kernel is zeroed.
 *
 * <p>An atom is one output channel of one layer that makes channels (a convolution kernel, a dense
 * unit). Layers that pass channels through keep the layout; a concatenation joins layouts; a
 * depthwise convolution repeats each position {@code m} times; a flatten repeats each position once
 * per spatial location.
 *
 * @param atoms the atom at each position
 * @param zeroKept whether zeroing the atom's kernel at its source leaves this position zero
 */
record Layout(int[] atoms, boolean[] zeroKept) {

  int size() {
    return atoms.length;
  }

  /** The same atoms, with zero-preservation turned off where {@code keeps} is false. */
  Layout keepingZero(boolean keeps) {
    if (keeps) {
      return this;
    }
    return new Layout(atoms, new boolean[atoms.length]);
  }

  /** Concatenation along the channel dimension. */
  static Layout concat(Layout... parts) {
    int size = Arrays.stream(parts).mapToInt(Layout::size).sum();
    int[] atoms = new int[size];
    boolean[] zero = new boolean[size];
    int at = 0;
    for (Layout part : parts) {
      System.arraycopy(part.atoms, 0, atoms, at, part.size());
      System.arraycopy(part.zeroKept, 0, zero, at, part.size());
      at += part.size();
    }
    return new Layout(atoms, zero);
  }

  /** Each position {@code times} times in a row (depthwise multiplier: c·m + j ← c). */
  Layout repeatEach(int times) {
    int[] atoms = new int[size() * times];
    boolean[] zero = new boolean[size() * times];
    for (int c = 0; c < size(); c++) {
      for (int j = 0; j < times; j++) {
        atoms[c * times + j] = this.atoms[c];
        zero[c * times + j] = this.zeroKept[c];
      }
    }
    return new Layout(atoms, zero);
  }

  /**
   * The rows of a flatten of C×H×W: channel-major ({@code c·HW + p}) or, for channels-last models,
   * position-major ({@code p·C + c}).
   */
  Layout flattened(long positions, boolean channelsLast) {
    int n = Math.toIntExact(positions);
    int[] atoms = new int[size() * n];
    boolean[] zero = new boolean[size() * n];
    int at = 0;
    if (channelsLast) {
      for (int p = 0; p < n; p++) {
        for (int c = 0; c < size(); c++) {
          atoms[at] = this.atoms[c];
          zero[at++] = this.zeroKept[c];
        }
      }
    } else {
      for (int c = 0; c < size(); c++) {
        for (int p = 0; p < n; p++) {
          atoms[at] = this.atoms[c];
          zero[at++] = this.zeroKept[c];
        }
      }
    }
    return new Layout(atoms, zero);
  }
}
