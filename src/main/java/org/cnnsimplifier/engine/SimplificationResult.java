package org.cnnsimplifier.engine;

import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.report.SimplificationReport;
import org.cnnsimplifier.engine.report.SpeedComparison;

/** The simplified model and what the run did. */
public record SimplificationResult(CnnModel model, SimplificationReport report) {

  /** The same result with the report's speed figures set. */
  public SimplificationResult withSpeed(SpeedComparison speed) {
    return new SimplificationResult(model, report.withSpeed(speed));
  }
}
