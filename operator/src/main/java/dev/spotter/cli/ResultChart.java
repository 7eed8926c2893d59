package dev.spotter.cli;

import dev.spotter.sim.PolicyResult;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.style.Styler;

/** Draws cost per policy, with deadline misses in each bar's label, as PNG or SVG. */
final class ResultChart {
  private static final Color OK = new Color(0x2E7D32);
  private static final Color MISSED = new Color(0xC62828);

  private ResultChart() {}

  static void save(List<PolicyResult> results, String subtitle, Path file) throws IOException {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean svg = name.endsWith(".svg");
    if (!svg && !name.endsWith(".png")) throw new IllegalArgumentException("--plot needs a .png or .svg file: " + file);
    CategoryChart chart = new CategoryChartBuilder().width(1000).height(560)
        .title("Cost per policy (USD), deadline misses in the labels — " + subtitle)
        .xAxisTitle("policy").yAxisTitle("total cost (USD)").build();
    chart.getStyler().setLegendVisible(true);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    chart.getStyler().setOverlapped(true);
    chart.getStyler().setYAxisDecimalPattern("#,###");
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridVerticalLinesVisible(false);
    chart.getStyler().setXAxisLabelRotation(15);
    chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));

    List<String> labels = new ArrayList<>();
    List<Double> met = new ArrayList<>();
    List<Double> missed = new ArrayList<>();
    for (PolicyResult r : results) {
      labels.add(r.policy() + " (" + r.deadlineMisses() + " missed)");
      met.add(r.deadlineMisses() == 0 ? r.cost() : null);
      missed.add(r.deadlineMisses() == 0 ? null : r.cost());
    }
    chart.addSeries("all deadlines met", labels, met).setFillColor(OK);
    chart.addSeries("some deadlines missed", labels, missed).setFillColor(MISSED);
    if (svg) {
      VectorGraphicsEncoder.saveVectorGraphic(chart, file.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
    } else {
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
  }
}
