package org.cnnsimplifier.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Test accuracy against parameters kept, one colour per strategy, a point per row (mean over seeds)
 * with ± one standard deviation as error bars; the yardstick and the baseline as horizontal lines.
 */
final class ComparisonPlot {
  private static final int W = 1080;
  private static final int H = 600;
  private static final int LEFT = 80;
  private static final int RIGHT = 360;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;
  private static final Color[] COLOURS = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0x9467bd),
    new Color(0xff7f0e),
    new Color(0x8c564b),
    new Color(0xe377c2)
  };

  private ComparisonPlot() {}

  static void write(List<StrategyComparison.Run> runs, double baselineTest, Path png)
      throws IOException {
    Map<String, List<StrategyComparison.Run>> rows = new LinkedHashMap<>();
    for (StrategyComparison.Run r : runs) {
      rows.computeIfAbsent(r.row(), k -> new ArrayList<>()).add(r);
    }
    double yMin = baselineTest;
    double yMax = baselineTest;
    for (List<StrategyComparison.Run> rs : rows.values()) {
      double m = StrategyComparison.mean(rs, StrategyComparison.Run::testAccuracy);
      double s = StrategyComparison.std(rs, StrategyComparison.Run::testAccuracy);
      yMin = Math.min(yMin, m - s);
      yMax = Math.max(yMax, m + s);
    }
    double pad = Math.max(0.001, (yMax - yMin) * 0.1);
    yMin -= pad;
    yMax += pad;
    double xMin = 0;
    double xMax = 105;

    BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    int pw = W - LEFT - RIGHT;
    int ph = H - TOP - BOTTOM;
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    g.drawString(
        "Fashion-MNIST: test accuracy vs parameters kept (mean ± std over seeds)", LEFT, 28);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawRect(LEFT, TOP, pw, ph);
    for (int i = 0; i <= 5; i++) {
      double v = yMin + (yMax - yMin) * i / 5;
      int y = TOP + ph - (int) Math.round(ph * i / 5.0);
      g.setColor(new Color(0xdddddd));
      g.drawLine(LEFT + 1, y, LEFT + pw - 1, y);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%.4f", v), LEFT - 55, y + 4);
    }
    for (int x = 0; x <= 100; x += 20) {
      int px = LEFT + (int) Math.round(pw * (x - xMin) / (xMax - xMin));
      g.drawLine(px, TOP + ph, px, TOP + ph + 5);
      g.drawString(x + "%", px - 12, TOP + ph + 20);
    }
    g.drawString("parameters kept", LEFT + pw / 2 - 45, H - 18);
    g.rotate(-Math.PI / 2);
    g.drawString("test accuracy", -(TOP + ph / 2 + 40), 18);
    g.rotate(Math.PI / 2);

    // Baseline line.
    int yBase = yOf(baselineTest, yMin, yMax, ph);
    g.setColor(Color.GRAY);
    g.setStroke(
        new BasicStroke(
            1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
    g.drawLine(LEFT, yBase, LEFT + pw, yBase);
    g.drawString("baseline (no retraining)", LEFT + 5, yBase - 4);
    g.setStroke(new BasicStroke(1.5f));

    Map<String, Color> colours = new LinkedHashMap<>();
    int legend = 0;
    for (Map.Entry<String, List<StrategyComparison.Run>> e : rows.entrySet()) {
      List<StrategyComparison.Run> rs = e.getValue();
      String series = rs.get(0).series();
      Color c = colours.computeIfAbsent(series, k -> COLOURS[colours.size() % COLOURS.length]);
      double m = StrategyComparison.mean(rs, StrategyComparison.Run::testAccuracy);
      double s = StrategyComparison.std(rs, StrategyComparison.Run::testAccuracy);
      double x = 100 * StrategyComparison.mean(rs, StrategyComparison.Run::paramsKept);
      int px = LEFT + (int) Math.round(pw * (x - xMin) / (xMax - xMin));
      int py = yOf(m, yMin, yMax, ph);
      g.setColor(c);
      if ("yardstick".equals(series)) {
        g.setStroke(
            new BasicStroke(
                1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {2, 3}, 0));
        g.drawLine(LEFT, py, LEFT + pw, py);
        g.setStroke(new BasicStroke(1.5f));
      }
      int lo = yOf(m - s, yMin, yMax, ph);
      int hi = yOf(m + s, yMin, yMax, ph);
      g.drawLine(px, lo, px, hi);
      g.drawLine(px - 4, lo, px + 4, lo);
      g.drawLine(px - 4, hi, px + 4, hi);
      g.fillOval(px - 4, py - 4, 8, 8);
      int ly = TOP + 10 + 18 * legend++;
      g.fillOval(LEFT + pw + 15, ly - 8, 8, 8);
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%s  %.4f", e.getKey(), m), LEFT + pw + 28, ly);
    }
    g.dispose();
    ImageIO.write(image, "png", png.toFile());
  }

  private static int yOf(double v, double yMin, double yMax, int ph) {
    return TOP + ph - (int) Math.round(ph * (v - yMin) / (yMax - yMin));
  }
}
