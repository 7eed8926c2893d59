package dev.spotter.sim;

/** Where a simulated job runs in a tick: idle, on-demand, or spot in zone {@code z >= 0}. */
public final class Place {
  public static final int IDLE = -1;
  public static final int ON_DEMAND = -2;

  private Place() {}

  public static boolean isSpot(int place) {
    return place >= 0;
  }

  public static String describe(int place, TraceSet traces) {
    if (place == IDLE) return "idle";
    if (place == ON_DEMAND) return "on-demand";
    return "spot:" + traces.get(place).name();
  }
}
