package org.cnnsimplifier.engine.model;

import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.BaseActivationFunction;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * {@code f(x) = x · min(1, max(0, x/6 + 1/2))}: ONNX's HardSwish, PyTorch's {@code Hardswish}
 * (MobileNetV3). Saved in DL4J configurations by class name, so it must stay at this name.
 */
public final class HardSwishActivation extends BaseActivationFunction {
  private static final long serialVersionUID = 1L;

  @Override
  public INDArray getActivation(INDArray in, boolean training) {
    INDArray gate = in.div(6.0).addi(0.5);
    Transforms.max(gate, 0.0, false);
    Transforms.min(gate, 1.0, false);
    return in.muli(gate);
  }

  @Override
  public Pair<INDArray, INDArray> backprop(INDArray in, INDArray epsilon) {
    assertShape(in, epsilon);
    // 0 below -3, 1 above 3, (2x + 3) / 6 between.
    INDArray middle = in.gt(-3.0).castTo(in.dataType()).muli(in.lt(3.0).castTo(in.dataType()));
    INDArray above = in.gte(3.0).castTo(in.dataType());
    INDArray slope = in.mul(2.0).addi(3.0).divi(6.0).muli(middle).addi(above);
    return new Pair<>(slope.muli(epsilon), null);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HardSwishActivation;
  }

  @Override
  public int hashCode() {
    return HardSwishActivation.class.hashCode();
  }

  @Override
  public String toString() {
    return "hardswish";
  }
}
