package dev.spotter.sim;

import java.util.List;

/**
 * The zones a simulation may use, aligned on the same ticks. On-demand capacity is always
 * there, at the lowest on-demand price of the set.
 */
public record TraceSet(String name, List<Trace> traces) {

  public TraceSet {
    traces = List.copyOf(traces);
    if (traces.isEmpty()) throw new IllegalArgumentException("a trace set needs at least one trace");
    long gap = traces.get(0).gapSeconds();
    for (Trace t : traces) {
      if (t.gapSeconds() != gap) {
        throw new IllegalArgumentException(
            "traces disagree on gap_seconds: " + traces.get(0).name() + " has " + gap + ", "
                + t.name() + " has " + t.gapSeconds());
      }
    }
  }

  /** A set of one zone. */
  public static TraceSet of(Trace trace) {
    return new TraceSet(trace.name(), List.of(trace));
  }

  public long gapSeconds() {
    return traces.get(0).gapSeconds();
  }

  /** Ticks until the longest trace ends; shorter traces are unavailable past their end. */
  public int ticks() {
    int n = 0;
    for (Trace t : traces) n = Math.max(n, t.ticks());
    return n;
  }

  public int size() {
    return traces.size();
  }

  public Trace get(int zone) {
    return traces.get(zone);
  }

  /** Lowest on-demand price per GPU-hour over the set. */
  public double onDemandPricePerGpuHour() {
    double best = Double.POSITIVE_INFINITY;
    for (Trace t : traces) best = Math.min(best, t.onDemandPricePerHour() / t.gpusPerMachine());
    return best;
  }

  /** The lowest on-demand price of one machine-hour, as printed next to results. */
  public double onDemandPricePerMachineHour() {
    double best = Double.POSITIVE_INFINITY;
    for (Trace t : traces) best = Math.min(best, t.onDemandPricePerHour());
    return best;
  }

  /** The same set restricted to one zone. */
  public TraceSet only(int zone) {
    return new TraceSet(traces.get(zone).name(), List.of(traces.get(zone)));
  }
}
