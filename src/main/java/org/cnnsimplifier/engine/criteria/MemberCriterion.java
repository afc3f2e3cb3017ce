package org.cnnsimplifier.engine.criteria;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.surgery.PruningGroup;
import org.nd4j.linalg.dataset.DataSet;

/** A criterion that scores each member of a group on its own; see {@link GroupScores}. */
abstract class MemberCriterion implements RelevanceCriterion {
  private final String name;
  private final boolean needsImages;
  private final boolean needsLabels;

  MemberCriterion(String name, boolean needsImages, boolean needsLabels) {
    this.name = name;
    this.needsImages = needsImages;
    this.needsLabels = needsLabels;
  }

  /**
   * The member's score per own output channel.
   *
   * @param batches the scoring sample, or null for criteria that read only weights
   */
  abstract double[] memberScores(CnnModel model, String member, List<DataSet> batches);

  @Override
  public final double[] scores(CnnModel model, String layerOrGroup, ScoringData data) {
    PruningGroup group = GroupScores.group(model, layerOrGroup);
    List<DataSet> batches =
        needsImages ? ScoringBatches.load(data, model, name, needsLabels) : null;
    try {
      Map<String, double[]> perMember = new LinkedHashMap<>();
      for (String member : group.members()) {
        perMember.put(member, memberScores(model, member, batches));
      }
      return GroupScores.combine(group, perMember);
    } finally {
      if (batches != null) {
        ScoringBatches.close(batches);
      }
    }
  }
}
