package org.cnnsimplifier.engine;

import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.report.SimplificationReport;

/** The simplified model and what the run did. */
public record SimplificationResult(CnnModel model, SimplificationReport report) {}
