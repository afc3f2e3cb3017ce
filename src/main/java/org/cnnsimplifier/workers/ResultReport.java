package org.cnnsimplifier.workers;

import org.cnnsimplifier.engine.SimplificationResult;
import org.cnnsimplifier.engine.model.ExportFormats;
import org.cnnsimplifier.engine.model.ModelFiles;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A job's stored report: the engine's report plus the formats the simplified model can be
 * downloaded in ({@code exportFormats}) and why not in the others ({@code exportUnavailable}).
 */
final class ResultReport {
  private ResultReport() {}

  static String json(SimplificationResult result, ObjectMapper json) {
    ObjectNode report = json.valueToTree(result.report());
    ExportFormats formats = ModelFiles.exportFormats(result.model());
    report.set("exportFormats", json.valueToTree(formats.available()));
    report.set("exportUnavailable", json.valueToTree(formats.unavailable()));
    return json.writeValueAsString(report);
  }
}
