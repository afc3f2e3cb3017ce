package org.cnnsimplifier.engine.criteria;

import java.util.ArrayList;
import java.util.List;
import org.cnnsimplifier.engine.DatasetMismatchException;
import org.cnnsimplifier.engine.InvalidDatasetException;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.model.NetworkMemory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** Reads the scoring sample once, in order, capped at {@link ScoringData#maxImages()}. */
final class ScoringBatches {

  private ScoringBatches() {}

  /**
   * The sample's batches, detached so they can be read many times (ablation reads them once per
   * kernel).
   *
   * @param criterion the asking criterion's name, for messages
   * @param needsLabels whether labels must match the model's classes
   */
  static List<DataSet> load(
      ScoringData data, CnnModel model, String criterion, boolean needsLabels) {
    if (data == null || data.images() == null) {
      throw new InvalidDatasetException(
          "criterion " + criterion + " scores kernels on images, but no images were given");
    }
    DataSetIterator images = data.images();
    if (images.resetSupported()) {
      images.reset();
    }
    List<DataSet> batches = new ArrayList<>();
    int taken = 0;
    while (taken < data.maxImages() && images.hasNext()) {
      DataSet batch = images.next();
      int size = (int) batch.getFeatures().size(0);
      if (size == 0) {
        continue;
      }
      int keep = Math.min(size, data.maxImages() - taken);
      INDArray features = rows(batch.getFeatures(), keep);
      INDArray labels = batch.getLabels() == null ? null : rows(batch.getLabels(), keep);
      check(features, labels, model, criterion, needsLabels);
      batches.add(new DataSet(features, labels));
      taken += keep;
    }
    if (taken == 0) {
      throw new InvalidDatasetException(
          "criterion " + criterion + " scores kernels on images, but the image set is empty");
    }
    return batches;
  }

  /** Frees the batches {@link #load} copied. */
  static void close(List<DataSet> batches) {
    for (DataSet batch : batches) {
      NetworkMemory.close(batch.getFeatures(), batch.getLabels());
    }
  }

  private static INDArray rows(INDArray array, int count) {
    INDArray kept = count == array.size(0) ? array : array.get(NDArrayIndex.interval(0, count));
    return kept.dup().detach();
  }

  private static void check(
      INDArray features, INDArray labels, CnnModel model, String criterion, boolean needsLabels) {
    InputShape shape = model.inputShape();
    long[] f = features.shape();
    if (f.length != 4
        || f[1] != shape.channels()
        || f[2] != shape.height()
        || f[3] != shape.width()) {
      throw new DatasetMismatchException(
          "images of shape "
              + java.util.Arrays.toString(f)
              + " do not fit the model, which expects NCHW batches of "
              + shape);
    }
    if (!needsLabels) {
      return;
    }
    if (labels == null) {
      throw new InvalidDatasetException(
          "criterion " + criterion + " needs labelled images, but the images have no labels");
    }
    if (labels.rank() != 2 || labels.size(1) != model.numClasses()) {
      throw new DatasetMismatchException(
          "labels of shape "
              + java.util.Arrays.toString(labels.shape())
              + " do not fit the model's "
              + model.numClasses()
              + " classes");
    }
  }
}
