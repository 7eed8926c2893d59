package dev.spotter.demo;

import dev.spotter.sim.Trace;
import dev.spotter.sim.TraceSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Plans the demo's fleet from a trace set: which stretch of the trace to replay (whole days,
 * drawn from the seed), which zones become spot pools (those with visible churn that still have
 * spot most of the time), one on-demand pool, and every pool's price per GPU-hour.
 */
public final class DemoFleet {
  public static final String GPU_MODEL = "NVIDIA-H100-80GB-HBM3";
  /** Below this share of ticks with spot, a zone would mostly show an empty pool. */
  static final double MIN_AVAILABILITY = 0.6;

  /** The plan; prices are per GPU-hour. */
  public record Plan(int startTick, Instant start, List<TraceDriver.SpotPool> spot, String onDemandPool,
      String onDemandZone, int onDemandNodes, int gpusPerNode, Map<String, Double> prices, double onDemandPrice) {}

  private DemoFleet() {}

  /**
   * @param length simulated time the demo covers
   * @param zones spot pools wanted
   * @param nodesPerPool nodes of a spot pool while it has spot, and of the on-demand pool
   */
  public static Plan plan(TraceSet set, long seed, Duration length, int zones, int nodesPerPool) {
    long gap = set.gapSeconds();
    int window = (int) Math.min(set.ticks(), Math.max(1, (length.toSeconds() + gap - 1) / gap));
    int perDay = (int) Math.max(1, 86_400 / gap);
    int lastStartDay = Math.max(0, (set.ticks() - window) / perDay);
    int startTick = new Random(seed).nextInt(lastStartDay + 1) * perDay;
    List<Trace> picked = pickZones(set, startTick, window, zones);

    Trace first = picked.get(0);
    Instant traceStart = first.start() == null ? Instant.parse("2025-01-01T00:00:00Z") : first.start();
    Instant start = traceStart.plusSeconds(gap * startTick);
    List<TraceDriver.SpotPool> spot = new ArrayList<>();
    Map<String, Double> prices = new LinkedHashMap<>();
    for (Trace t : picked) {
      String pool = "spot-" + sanitize(t.name());
      spot.add(new TraceDriver.SpotPool(pool, t.name(), t, nodesPerPool));
      prices.put(pool, round(t.spotPrice(startTick) / t.gpusPerMachine()));
    }
    Trace cheapest = picked.stream().min(Comparator.comparingDouble(t -> t.onDemandPricePerHour() / t.gpusPerMachine())).orElseThrow();
    double onDemand = round(cheapest.onDemandPricePerHour() / cheapest.gpusPerMachine());
    String odPool = "on-demand-" + sanitize(cheapest.name());
    prices.put(odPool, onDemand);
    return new Plan(startTick, start, spot, odPool, cheapest.name(), nodesPerPool, first.gpusPerMachine(), prices, onDemand);
  }

  /**
   * The {@code count} zones with the most changes of spot availability over ticks
   * [{@code from}, {@code from + ticks}) among those with spot at least {@value #MIN_AVAILABILITY}
   * of the time; zones with the most spot fill the remaining places.
   */
  static List<Trace> pickZones(TraceSet set, int from, int ticks, int count) {
    record Score(Trace trace, double availability, int changes) {}
    List<Score> scores = new ArrayList<>();
    for (Trace t : set.traces()) {
      int up = 0;
      int changes = 0;
      for (int i = from; i < from + ticks && i < t.ticks(); i++) {
        boolean has = t.machines()[i] > 0;
        up += has ? 1 : 0;
        if (i > from && has != (t.machines()[i - 1] > 0)) {
          changes++;
        }
      }
      scores.add(new Score(t, ticks == 0 ? 0 : (double) up / ticks, changes));
    }
    List<Trace> out = new ArrayList<>();
    scores.stream()
        .filter(s -> s.availability() >= MIN_AVAILABILITY && s.changes() >= 2)
        .sorted(Comparator.comparingInt(Score::changes).reversed().thenComparing(s -> s.trace().name()))
        .limit(count)
        .forEach(s -> out.add(s.trace()));
    scores.stream()
        .filter(s -> !out.contains(s.trace()))
        .sorted(Comparator.comparingDouble(Score::availability).reversed().thenComparing(s -> s.trace().name()))
        .limit(Math.max(0, count - out.size()))
        .forEach(s -> out.add(s.trace()));
    return out;
  }

  private static String sanitize(String zone) {
    String s = zone.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^-+|-+$", "");
    return s.length() > 40 ? s.substring(0, 40) : s;
  }

  private static double round(double v) {
    return Math.round(v * 10_000) / 10_000.0;
  }
}
