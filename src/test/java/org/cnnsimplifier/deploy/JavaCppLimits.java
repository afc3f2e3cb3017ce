package org.cnnsimplifier.deploy;

import org.bytedeco.javacpp.Pointer;

/**
 * Prints the heap limit and JavaCPP's off-heap limits of this JVM: run in a child JVM with the
 * image's JVM options to see what a container of a given size gets.
 */
public final class JavaCppLimits {
  private JavaCppLimits() {}

  public static void main(String[] args) {
    System.out.println(
        Runtime.getRuntime().maxMemory()
            + " "
            + Pointer.maxBytes()
            + " "
            + Pointer.maxPhysicalBytes());
  }
}
