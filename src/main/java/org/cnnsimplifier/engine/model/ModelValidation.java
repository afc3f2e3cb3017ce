package org.cnnsimplifier.engine.model;

import org.cnnsimplifier.engine.InvalidModelException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;

/** Checks that a model read from a file is one the engine can simplify. */
final class ModelValidation {
  private ModelValidation() {}

  static void validate(CnnModel model, String name) {
    if (model.isGraph()) {
      ComputationGraphConfiguration conf = model.graph().getConfiguration();
      if (conf.getNetworkInputs().size() != 1) {
        throw new InvalidModelException(
            name + " has " + conf.getNetworkInputs().size() + " inputs; one image input is needed");
      }
      if (conf.getNetworkOutputs().size() != 1) {
        throw new InvalidModelException(
            name
                + " has "
                + conf.getNetworkOutputs().size()
                + " outputs; one classification output is needed");
      }
    }
    boolean hasConvolution =
        model.layerNames().stream()
            .anyMatch(layer -> model.layerConf(layer) instanceof ConvolutionLayer);
    if (!hasConvolution) {
      throw new InvalidModelException(name + " has no convolution layer; nothing to simplify");
    }
  }

  /**
   * The model's output on a fixed batch of images (uniform in [0, 1), seeded) must be finite: a
   * model that overflows (as badly initialised deep networks do) cannot be trained or evaluated.
   */
  static void requireFiniteOutput(CnnModel model, String name) {
    InputShape shape = model.inputShape();
    org.nd4j.linalg.api.ndarray.INDArray images =
        org.nd4j.linalg.factory.Nd4j.rand(
            20240601L, new long[] {2, shape.channels(), shape.height(), shape.width()});
    org.nd4j.linalg.api.ndarray.INDArray output;
    try {
      output = model.output(images.castTo(model.dl4j().params().dataType()));
    } catch (RuntimeException e) {
      throw new InvalidModelException(
          name + " cannot compute an output for " + shape + " images: " + e.getMessage(), e);
    }
    double sum = output.sumNumber().doubleValue();
    if (!Double.isFinite(sum)) {
      throw new InvalidModelException(
          name
              + " computes NaN or infinity for ordinary input images (its weights overflow), so it"
              + " can be neither trained nor evaluated; check how it was initialised or trained");
    }
  }
}
