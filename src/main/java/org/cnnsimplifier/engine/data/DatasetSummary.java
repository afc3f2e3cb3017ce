package org.cnnsimplifier.engine.data;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnnsimplifier.engine.model.InputShape;

/**
 * What a data set holds: its classes, how many images each class has in each split, the shape of
 * the tensors it produces and what it was read from.
 *
 * @param classes class names in label order
 * @param counts split name ({@link #TRAIN}, {@link #VALIDATION}, {@link #TEST}) to class name to
 *     image count; every class is listed in every split present, with 0 where it has no image; the
 *     test split is absent when the data set has none
 * @param imageShape shape of one image tensor
 * @param sourceKind what the data set was read from
 */
public record DatasetSummary(
    List<String> classes,
    Map<String, Map<String, Integer>> counts,
    InputShape imageShape,
    SourceKind sourceKind) {

  public static final String TRAIN = "train";
  public static final String VALIDATION = "validation";
  public static final String TEST = "test";

  public DatasetSummary {
    classes = List.copyOf(classes);
    Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
    counts.forEach((split, perClass) -> copy.put(split, copyOrdered(perClass)));
    counts = Collections.unmodifiableMap(copy);
  }

  /** Images in a split, 0 for a split the data set does not have. */
  public int total(String split) {
    return counts.getOrDefault(split, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Images of one class in one split. */
  public int count(String split, String className) {
    return counts.getOrDefault(split, Map.of()).getOrDefault(className, 0);
  }

  public boolean hasTest() {
    return counts.containsKey(TEST);
  }

  private static Map<String, Integer> copyOrdered(Map<String, Integer> perClass) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(perClass));
  }
}
