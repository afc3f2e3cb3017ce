package org.cnnsimplifier.engine.model;

import org.cnnsimplifier.engine.InvalidModelException;
import org.cnnsimplifier.engine.surgery.ChannelDependents;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;

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
            .anyMatch(layer -> ChannelDependents.isPlainConvolution(model.layerConf(layer)));
    if (!hasConvolution) {
      throw new InvalidModelException(name + " has no convolution layer; nothing to simplify");
    }
  }
}
