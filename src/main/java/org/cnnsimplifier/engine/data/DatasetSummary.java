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
 * @param testHeldOut whether the test split was held out of the training images (the data set came
 *     without one) rather than given by the data set
 */
public record DatasetSummary(
    List<String> classes,
    Map<String, Map<String, Integer>> counts,
    InputShape imageShape,
    SourceKind sourceKind,
    boolean testHeldOut) {

  public static final String TRAIN = "train";
  public static final String VALIDATION = "validation";
  public static final String TEST = "test";

  /**
   * How reports name the test split when it was held out of the training images; {@link #counts()}
   * still lists it under {@link #TEST}.
   */
  public static final String HELD_OUT = "held-out";

  public DatasetSummary {
    classes = List.copyOf(classes);
    Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
    counts.forEach((split, perClass) -> copy.put(split, copyOrdered(perClass)));
    counts = Collections.unmodifiableMap(copy);
  }

  /** A summary whose test split, if any, came with the data set. */
  public DatasetSummary(
      List<String> classes,
      Map<String, Map<String, Integer>> counts,
      InputShape imageShape,
      SourceKind sourceKind) {
    this(classes, counts, imageShape, sourceKind, false);
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

  /**
   * The test split's name in reports: {@link #TEST}, or {@link #HELD_OUT} when it was held out of
   * the training images; {@code null} without a test split.
   */
  public String testSplitName() {
    return !hasTest() ? null : testHeldOut ? HELD_OUT : TEST;
  }

  private static Map<String, Integer> copyOrdered(Map<String, Integer> perClass) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(perClass));
  }
}
