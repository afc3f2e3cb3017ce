package db.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps the retraining of jobs stored before the recommended defaults their old meaning. A stored
 * spec has its retraining fields resolved, except those that meant "off" or "per stage" when absent
 * and now mean the recommended settings: {@code distillation} (now on), {@code budget} with no
 * {@code epochs} (now a 2-epoch total), and, in specs older than those fields, {@code
 * carryOptimizerState} (now true) and {@code schedule} (now COSINE). They are written out with what
 * the job was planned with ({@code "distillation":{"alpha":0}}, {@code "epochs":1}, false,
 * CONSTANT), so a queued or handed-back job resumes with the plan its checkpoint was made for, and
 * every job shows what it ran. Flyway finds it in {@code classpath:db/migration}, beside the SQL
 * migrations.
 */
public class V11__PinRetrainingDefaults extends BaseJavaMigration {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  public void migrate(Context context) throws Exception {
    Connection connection = context.getConnection();
    Map<String, String> changed = new LinkedHashMap<>();
    try (Statement select = connection.createStatement();
        ResultSet rows = select.executeQuery("SELECT id, spec FROM job")) {
      while (rows.next()) {
        String pinned = pinned(rows.getString("spec"));
        if (pinned != null) {
          changed.put(rows.getString("id"), pinned);
        }
      }
    }
    try (PreparedStatement update =
        connection.prepareStatement("UPDATE job SET spec = ? WHERE id = CAST(? AS UUID)")) {
      for (Map.Entry<String, String> e : changed.entrySet()) {
        update.setString(1, e.getValue());
        update.setString(2, e.getKey());
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  /** The spec with its old defaults written out, or null when it needs no change. */
  public static String pinned(String spec) {
    JsonNode root = JSON.readTree(spec);
    if (!(root instanceof ObjectNode job)) {
      return null;
    }
    JsonNode retraining = job.get("retraining");
    ObjectNode r;
    if (retraining instanceof ObjectNode existing) {
      r = existing;
    } else {
      r = job.putObject("retraining");
    }
    boolean change = false;
    if (absent(r.get("distillation"))) {
      r.putObject("distillation").put("alpha", 0.0).put("temperature", 4.0);
      change = true;
    }
    if (absent(r.get("budget")) && absent(r.get("epochs"))) {
      r.put("epochs", 1);
      change = true;
    }
    if (absent(r.get("carryOptimizerState"))) {
      r.put("carryOptimizerState", false);
      change = true;
    }
    if (absent(r.get("schedule"))) {
      r.put("schedule", "CONSTANT");
      change = true;
    }
    return change ? JSON.writeValueAsString(job) : null;
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull();
  }
}
