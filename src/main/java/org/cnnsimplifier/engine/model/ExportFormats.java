package org.cnnsimplifier.engine.model;

import java.util.List;
import java.util.Map;

/**
 * The file formats a model can be written in, and for each other format the reason (naming the
 * layer that has no counterpart there).
 */
public record ExportFormats(List<ModelFormat> available, Map<ModelFormat, String> unavailable) {
  public ExportFormats {
    available = List.copyOf(available);
    unavailable = Map.copyOf(unavailable);
  }

  public boolean allows(ModelFormat format) {
    return available.contains(format);
  }
}
