package org.cnnsimplifier.engine.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runs an ONNX model in ONNX Runtime, as a user's deployment would. */
public final class OnnxRuntimeRun {
  private OnnxRuntimeRun() {}

  /** The model's single output for an NCHW batch fed to its input "input". */
  public static INDArray run(byte[] model, INDArray images) {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    float[] data = images.dup('c').data().asFloat();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtSession session = env.createSession(model, options);
        OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), images.shape());
        OrtSession.Result result = session.run(Map.of("input", input))) {
      OnnxTensor output = (OnnxTensor) result.get(0);
      long[] shape = output.getInfo().getShape();
      float[] values = new float[(int) (shape[0] * shape[1])];
      output.getFloatBuffer().get(values);
      return Nd4j.create(values, shape, 'c');
    } catch (OrtException e) {
      throw new IllegalStateException("ONNX Runtime refused the model: " + e.getMessage(), e);
    }
  }
}
