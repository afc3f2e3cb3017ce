package org.cnnsimplifier.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Fashion-MNIST from Debian's {@code dataset-fashion-mnist} (gzipped IDX files), read into memory
 * as NCHW float images scaled to [0, 1] and one-hot labels, exactly as the PyTorch reference does.
 */
record FashionMnist(float[] pixels, int[] labels, int count) {
  static final int SIDE = 28;
  static final int CLASSES = 10;

  static FashionMnist load(Path folder, String prefix, int limit) throws IOException {
    float[] pixels;
    int count;
    try (DataInputStream in = open(folder.resolve(prefix + "-images-idx3-ubyte.gz"))) {
      expectMagic(in, 2051);
      count = Math.min(limit, in.readInt());
      int rows = in.readInt();
      int cols = in.readInt();
      byte[] raw = in.readNBytes(count * rows * cols);
      pixels = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        pixels[i] = (raw[i] & 0xff) / 255f;
      }
    }
    int[] labels = new int[count];
    try (DataInputStream in = open(folder.resolve(prefix + "-labels-idx1-ubyte.gz"))) {
      expectMagic(in, 2049);
      in.readInt();
      byte[] raw = in.readNBytes(count);
      for (int i = 0; i < count; i++) {
        labels[i] = raw[i];
      }
    }
    return new FashionMnist(pixels, labels, count);
  }

  /** Consecutive mini-batches, built once so the timed loop copies nothing. */
  List<DataSet> batches(int batch) {
    List<DataSet> out = new ArrayList<>();
    int pixelsPerImage = SIDE * SIDE;
    for (int start = 0; start < count; start += batch) {
      int n = Math.min(batch, count - start);
      float[] x = new float[n * pixelsPerImage];
      System.arraycopy(pixels, start * pixelsPerImage, x, 0, x.length);
      float[] y = new float[n * CLASSES];
      for (int i = 0; i < n; i++) {
        y[i * CLASSES + labels[start + i]] = 1f;
      }
      out.add(
          new DataSet(
              Nd4j.create(x, new long[] {n, 1, SIDE, SIDE}, 'c'),
              Nd4j.create(y, new long[] {n, CLASSES}, 'c')));
    }
    return out;
  }

  private static DataInputStream open(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          file + " is missing: apt-get install -y dataset-fashion-mnist (or pass --data DIR)");
    }
    InputStream raw = Files.newInputStream(file);
    return new DataInputStream(new GZIPInputStream(raw, 1 << 16));
  }

  private static void expectMagic(DataInputStream in, int magic) throws IOException {
    int found = in.readInt();
    if (found != magic) {
      throw new IOException("not an IDX file of the expected kind: magic " + found);
    }
  }
}
