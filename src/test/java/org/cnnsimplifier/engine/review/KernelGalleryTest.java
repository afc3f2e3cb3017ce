package org.cnnsimplifier.engine.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.cnnsimplifier.engine.SyntheticData;
import org.cnnsimplifier.engine.TinyNets;
import org.cnnsimplifier.engine.criteria.Criterion;
import org.cnnsimplifier.engine.model.CnnModel;
import org.cnnsimplifier.engine.model.InputPreprocessing;
import org.cnnsimplifier.engine.model.InputShape;
import org.cnnsimplifier.engine.retrain.TrainingData;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;

class KernelGalleryTest {
  private static final SyntheticData DATA = new SyntheticData(5, 6, 3);

  private static Set<Integer> colours(byte[] png) throws Exception {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        colours.add(image.getRGB(x, y) & 0xFFFFFF);
      }
    }
    return colours;
  }

  @Test
  void hasOneMapPerKernelAndSampleOfTheLayersOutputSize() {
    KernelGallery gallery = KernelGallery.of(TinyNets.sequential(3), "conv2", DATA, 2, 1);
    assertThat(gallery.kernels()).isEqualTo(5);
    assertThat(gallery.samples()).hasSize(2 * TinyNets.CLASSES);
    assertThat(gallery.samples())
        .extracting(KernelGallery.Sample::label)
        .containsExactly(0, 0, 1, 1, 2, 2);
    assertThat(gallery.mapHeight()).isEqualTo(3);
    assertThat(gallery.mapWidth()).isEqualTo(3);
    assertThat(gallery.maps()[4]).hasNumberOfRows(6);
    assertThat(gallery.maps()[4][5]).hasSize(9);
    assertThat(gallery.scores().keySet())
        .containsExactlyInAnyOrder(
            Criterion.L1, Criterion.L2, Criterion.APOZ, Criterion.MEAN_ACTIVATION);
  }

  @Test
  void showsTheActivationAfterBatchNormAndReluForTheFirstLayer() {
    KernelGallery gallery = KernelGallery.of(TinyNets.sequential(3), "conv1", DATA, 1, 1);
    assertThat(gallery.activationPoint()).isEqualTo("relu1");
    assertThat(gallery.mapHeight()).isEqualTo(8);
  }

  @Test
  void sheetsShowImagesAsAPersonSeesThemWhateverTheNormalisation() throws Exception {
    InputPreprocessing normalised =
        new InputPreprocessing(
            1.0 / 255, List.of(0.3, 0.6), List.of(0.2, 0.05), InputPreprocessing.ChannelOrder.RGB);
    CnnModel plain = TinyNets.sequential(3);
    // The same network for normalised inputs: conv1 undoes the normalisation (it has no padding).
    CnnModel onNormalised = plain.copy().withPreprocessing(normalised);
    INDArray w = onNormalised.layer("conv1").getParam("W");
    INDArray b = onNormalised.layer("conv1").getParam("b");
    for (int c = 0; c < 2; c++) {
      double a = 1.0 / normalised.std().get(c); // x_normalised = a·x + d
      double d = -normalised.mean().get(c) / normalised.std().get(c);
      INDArray channel =
          w.get(NDArrayIndex.all(), NDArrayIndex.point(c), NDArrayIndex.all(), NDArrayIndex.all());
      channel.divi(a);
      b.subi(channel.sum(1, 2).reshape(b.shape()).mul(d));
    }
    SyntheticData data = new SyntheticData(5, 6, 3);
    TrainingData normalisedData = new NormalisedData(new SyntheticData(5, 6, 3), normalised);

    KernelGallery before = KernelGallery.of(plain, "conv2", data, 2, 1);
    KernelGallery after = KernelGallery.of(onNormalised, "conv2", normalisedData, 2, 1);

    assertThat(normalisedData.validation(64).next().getFeatures())
        .isNotEqualTo(data.validation(64).next().getFeatures());
    assertSamePixels(ContactSheets.inputs(after), ContactSheets.inputs(before));
    for (int k = 0; k < before.kernels(); k++) {
      assertSamePixels(ContactSheets.kernel(after, k), ContactSheets.kernel(before, k));
    }
  }

  /** Every pixel within 1 of the other image's in each colour (rounding). */
  private static void assertSamePixels(byte[] actualPng, byte[] expectedPng) throws Exception {
    BufferedImage actual = ImageIO.read(new ByteArrayInputStream(actualPng));
    BufferedImage expected = ImageIO.read(new ByteArrayInputStream(expectedPng));
    assertThat(actual.getWidth()).isEqualTo(expected.getWidth());
    assertThat(actual.getHeight()).isEqualTo(expected.getHeight());
    int worst = 0;
    for (int y = 0; y < expected.getHeight(); y++) {
      for (int x = 0; x < expected.getWidth(); x++) {
        int p = actual.getRGB(x, y);
        int q = expected.getRGB(x, y);
        for (int shift = 0; shift <= 16; shift += 8) {
          worst = Math.max(worst, Math.abs(((p >> shift) & 0xFF) - ((q >> shift) & 0xFF)));
        }
      }
    }
    assertThat(worst).isLessThanOrEqualTo(1);
  }

  /** Another data set's images, normalised as the preprocessing says. */
  private record NormalisedData(TrainingData plain, InputPreprocessing preprocessing)
      implements TrainingData {
    @Override
    public DataSetIterator train(int batchSize, long seed) {
      return normalised(plain.train(batchSize, seed));
    }

    @Override
    public DataSetIterator validation(int batchSize) {
      return normalised(plain.validation(batchSize));
    }

    private DataSetIterator normalised(DataSetIterator it) {
      it.setPreProcessor(
          batch -> {
            INDArray f = batch.getFeatures();
            float[] values = f.dup('c').data().asFloat();
            long[] shape = f.shape();
            preprocessing.apply(
                values,
                0,
                (int) shape[0],
                new InputShape((int) shape[1], (int) shape[2], (int) shape[3]));
            batch.setFeatures(org.nd4j.linalg.factory.Nd4j.create(values, shape, 'c'));
          });
      return it;
    }
  }

  @Test
  void sheetsAreAsWideAsTheSamplesAndLineUp() throws Exception {
    KernelGallery gallery = KernelGallery.of(TinyNets.sequential(3), "conv2", DATA, 2, 1);
    BufferedImage inputs = ImageIO.read(new ByteArrayInputStream(ContactSheets.inputs(gallery)));
    BufferedImage kernel = ImageIO.read(new ByteArrayInputStream(ContactSheets.kernel(gallery, 0)));
    // 6 cells of 10×5 = 50 px (inputs) and 3×16 = 48 px (maps), 2 px apart.
    assertThat(inputs.getWidth()).isEqualTo(6 * 50 + 5 * 2);
    assertThat(kernel.getWidth()).isEqualTo(6 * 48 + 5 * 2);
  }

  @Test
  void aKernelThatIsConstantZeroGivesABlankSheet() throws Exception {
    CnnModel model = TinyNets.sequential(3);
    INDArray w = model.layer("conv2").getParam("W");
    INDArray b = model.layer("conv2").getParam("b");
    float[] weights = w.dup().data().asFloat();
    int perKernel = weights.length / 5;
    java.util.Arrays.fill(weights, 3 * perKernel, 4 * perKernel, 0f);
    w.assign(org.nd4j.linalg.factory.Nd4j.create(weights, w.shape(), 'c'));
    b.putScalar(3, -1.0); // and ReLU of a negative bias is 0 everywhere
    KernelGallery gallery = KernelGallery.of(model, "conv2", DATA, 2, 1);

    assertThat(colours(ContactSheets.kernel(gallery, 3)))
        .containsExactlyInAnyOrder(0xFFFFFF, Viridis.rgb(0));
    int liveliest = 0;
    for (int k = 0; k < gallery.kernels(); k++) {
      liveliest = Math.max(liveliest, colours(ContactSheets.kernel(gallery, k)).size());
    }
    assertThat(liveliest).as("some kernel responds to the images").isGreaterThan(2);
  }

  @Test
  void theSameSeedChoosesTheSameSamples() {
    var a = KernelGallery.of(TinyNets.sequential(3), "conv2", DATA, 2, 9).samples();
    var b = KernelGallery.of(TinyNets.sequential(3), "conv2", DATA, 2, 9).samples();
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).pixels()).isEqualTo(b.get(i).pixels());
    }
  }
}
