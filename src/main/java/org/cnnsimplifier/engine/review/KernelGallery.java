package org.cnnsimplifier.engine.review;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.cnnsimplifier.engine.criteria.ConvChain;
import org.cnnsimplifier.engine.criteria.Criterion;
import org.cnnsimplifier.engine.criteria.ScoringData;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.retrain.TrainingData;
import org.cnnsimplifier.engine.surgery.ChannelGraph;
import org.cnnsimplifier.engine.surgery.PruningGroup;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What each kernel of a layer responds to: its activation maps on a few sample images per class
 * (chosen with a seed from the validation split), with the cheap objective scores beside them. The
 * material a person looks at to apply the subjective criterion.
 *
 * @param layer the convolution layer
 * @param activationPoint the layer whose output is shown (the conv's activation, after a batch
 *     normalisation and activation layer that follow it)
 * @param samples the sample images, grouped by class in class order
 * @param maps {@code maps[k][s]} is kernel k's map on sample s, row-major, {@code mapHeight ×
 *     mapWidth}
 * @param scores the cheap criteria's scores per kernel
 */
public record KernelGallery(
    String layer,
    String activationPoint,
    List<Sample> samples,
    int mapHeight,
    int mapWidth,
    float[][][] maps,
    Map<Criterion, double[]> scores) {

  /**
   * One sample image.
   *
   * @param label class index
   * @param pixels the image as a person sees it: NCHW, {@code channels × height × width}, RGB (or
   *     gray) in [0, 1], whatever normalisation the network takes
   */
  public record Sample(int label, int channels, int height, int width, float[] pixels) {}

  /** A sample as the network takes it. */
  private record Picked(int label, long[] shape, float[] input) {}

  public int kernels() {
    return maps.length;
  }

  /**
   * Builds the gallery of a layer's group, showing its first member's maps.
   *
   * @param layer the group's name or any member
   * @param data images as the network takes them, preprocessed as {@code model.preprocessing()}
   *     says (which the sample images shown are turned back from)
   * @param perClass sample images per class
   * @param seed chooses the samples
   */
  public static KernelGallery of(
      CnnModel model, String layer, TrainingData data, int perClass, long seed) {
    PruningGroup group = group(model, layer);
    return of(model, group, group.members().get(0), data, perClass, seed);
  }

  /**
   * The gallery of one member of a group: its maps, one per group channel (the member's first
   * channel in it; empty where the member has none), on the same samples as every member's.
   */
  public static KernelGallery of(
      CnnModel model,
      PruningGroup group,
      String member,
      TrainingData data,
      int perClass,
      long seed) {
    ConvChain chain = ConvChain.of(model, member);
    List<Picked> picked = samples(data, model.numClasses(), perClass, seed);
    INDArray batch = stack(picked);
    List<Sample> samples = new ArrayList<>();
    for (Picked p : picked) {
      InputShape shape = new InputShape((int) p.shape()[0], (int) p.shape()[1], (int) p.shape()[2]);
      samples.add(
          new Sample(
              p.label(),
              shape.channels(),
              shape.height(),
              shape.width(),
              model.preprocessing().invert(p.input(), shape)));
    }
    INDArray activations = model.activations(batch).get(chain.activationPoint());
    if (activations.rank() == 2) {
      // Dense units: each "map" is the unit's value, one pixel.
      activations = activations.reshape(activations.size(0), activations.size(1), 1, 1);
    }
    long[] shape = activations.shape(); // [samples, channels, h, w]
    int channels = (int) shape[1];
    int h = (int) shape[2];
    int w = (int) shape[3];
    float[] all = activations.dup('c').data().asFloat();
    float[][][] maps = new float[group.channels()][samples.size()][h * w];
    for (int k = 0; k < group.channels(); k++) {
      int[] own = group.channelsOf(member, k);
      if (own.length == 0) {
        continue;
      }
      for (int s = 0; s < samples.size(); s++) {
        System.arraycopy(all, (s * channels + own[0]) * h * w, maps[k][s], 0, h * w);
      }
    }
    Map<Criterion, double[]> scores = new EnumMap<>(Criterion.class);
    for (Criterion criterion : Criterion.values()) {
      if (criterion.isCheap()) {
        ScoringData scoring = new ScoringData(data.validation(64), 512);
        scores.put(criterion, criterion.create().scores(model, group.name(), scoring));
      }
    }
    return new KernelGallery(member, chain.activationPoint(), samples, h, w, maps, scores);
  }

  private static PruningGroup group(CnnModel model, String layer) {
    return ChannelGraph.of(model)
        .find(layer)
        .orElseThrow(
            () ->
                new org.cnnsimplifier.engine.InvalidPlanException(
                    "layer '" + layer + "' has no kernels to review"));
  }

  /** Up to {@code perClass} validation images of each class, chosen by the seed. */
  private static List<Picked> samples(TrainingData data, int classes, int perClass, long seed) {
    List<List<Picked>> byClass = new ArrayList<>();
    for (int c = 0; c < classes; c++) {
      byClass.add(new ArrayList<>());
    }
    Random random = new Random(seed);
    DataSetIterator it = data.validation(64);
    it.reset();
    int[] seen = new int[classes];
    while (it.hasNext()) {
      DataSet batch = it.next();
      INDArray labels = Nd4j.argMax(batch.getLabels(), 1);
      for (int i = 0; i < batch.numExamples(); i++) {
        int label = labels.getInt(i);
        // Reservoir sampling: every image of a class is equally likely to be shown.
        int n = ++seen[label];
        List<Picked> chosen = byClass.get(label);
        if (chosen.size() < perClass) {
          chosen.add(sample(batch.getFeatures(), i, label));
        } else {
          int slot = random.nextInt(n);
          if (slot < perClass) {
            chosen.set(slot, sample(batch.getFeatures(), i, label));
          }
        }
      }
    }
    List<Picked> result = new ArrayList<>();
    byClass.forEach(result::addAll);
    if (result.isEmpty()) {
      throw new org.cnnsimplifier.engine.InvalidDatasetException(
          "the validation split has no images to show");
    }
    return result;
  }

  private static Picked sample(INDArray features, int index, int label) {
    INDArray image = features.slice(index).dup('c');
    return new Picked(label, image.shape(), image.data().asFloat());
  }

  private static INDArray stack(List<Picked> samples) {
    long[] shape = samples.get(0).shape();
    int size = (int) (shape[0] * shape[1] * shape[2]);
    float[] all = new float[samples.size() * size];
    for (int s = 0; s < samples.size(); s++) {
      System.arraycopy(samples.get(s).input(), 0, all, s * size, size);
    }
    return Nd4j.create(all, new long[] {samples.size(), shape[0], shape[1], shape[2]}, 'c');
  }
}
