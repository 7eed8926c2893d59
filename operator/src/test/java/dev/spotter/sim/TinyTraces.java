package dev.spotter.sim;

import java.util.Arrays;
import java.util.List;

/**
 * Hand-made traces for tests: '#' = spot available, '.' = not. Ticks are 600 s; with 8-GPU
 * jobs a spot tick costs {@code spotPerTick} and an on-demand tick 5.
 */
final class TinyTraces {
  private TinyTraces() {}

  static Trace zone(String name, String pattern, double spotPerTick) {
    int n = pattern.length();
    int[] machines = new int[n];
    for (int i = 0; i < n; i++) machines[i] = pattern.charAt(i) == '#' ? Trace.UNLIMITED : 0;
    double[] prices = new double[n];
    Arrays.fill(prices, spotPerTick * 6);
    return new Trace(name, 600, null, 8, prices, 30, machines);
  }

  static TraceSet set(String... patterns) {
    Trace[] zones = new Trace[patterns.length];
    for (int i = 0; i < patterns.length; i++) zones[i] = zone("z" + i, patterns[i], 1.0 + i * 0.5);
    return new TraceSet("tiny", List.of(zones));
  }

  /** A job of {@code work} ticks due {@code deadline} ticks after arrival, restart {@code restart} ticks. */
  static SimJob job(int work, int deadline, int restart, boolean notice) {
    return new SimJob("j", 8, work / 6.0, deadline / 6.0, 0, 20.0, restart * 10.0, notice ? 20.0 : null);
  }
}
