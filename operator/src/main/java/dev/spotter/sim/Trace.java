package dev.spotter.sim;

import java.time.Instant;
import java.util.Objects;

/**
 * The spot capacity of one zone (pool) over time, in ticks of {@code gapSeconds}.
 *
 * <p>{@code machines[t]} is how many spot machines could be had in tick {@code t};
 * traces that only say available or not use {@link #UNLIMITED} for available.
 */
public record Trace(
    String name,
    long gapSeconds,
    Instant start,
    int gpusPerMachine,
    double[] spotPricePerHour,
    double onDemandPricePerHour,
    int[] machines) {

  /** Capacity of an available tick in a trace that records availability, not counts. */
  public static final int UNLIMITED = Integer.MAX_VALUE;

  public Trace {
    Objects.requireNonNull(name, "name");
    if (gapSeconds <= 0) throw new IllegalArgumentException("gapSeconds must be positive");
    if (gpusPerMachine <= 0) throw new IllegalArgumentException("gpusPerMachine must be positive");
    if (spotPricePerHour.length != machines.length) {
      throw new IllegalArgumentException("one spot price per tick is needed");
    }
  }

  /** Number of ticks. */
  public int ticks() {
    return machines.length;
  }

  /** Whether {@code machinesNeeded} spot machines can be had in tick {@code t}; false past the end. */
  public boolean usable(int t, int machinesNeeded) {
    return t >= 0 && t < machines.length && machines[t] >= machinesNeeded;
  }

  /** Spot price of one machine-hour in tick {@code t} (the last known price past the end). */
  public double spotPrice(int t) {
    return spotPricePerHour[Math.min(Math.max(t, 0), spotPricePerHour.length - 1)];
  }

  /** Share of ticks in which at least one machine was available. */
  public double availability() {
    int n = 0;
    for (int m : machines) if (m > 0) n++;
    return machines.length == 0 ? 0 : (double) n / machines.length;
  }

  /** A copy holding ticks [from, to) only, for tests and small experiments. */
  public Trace slice(int from, int to) {
    return new Trace(
        name,
        gapSeconds,
        start == null ? null : start.plusSeconds(gapSeconds * from),
        gpusPerMachine,
        java.util.Arrays.copyOfRange(spotPricePerHour, from, to),
        onDemandPricePerHour,
        java.util.Arrays.copyOfRange(machines, from, to));
  }
}
