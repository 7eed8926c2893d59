package dev.spotter.policy;

import java.util.Objects;

/** A job's placement as the policy sees it: idle, on-demand, or spot in a named pool. */
public record Placement(Capacity capacity, String pool) {
  public static final Placement IDLE = new Placement(Capacity.IDLE, null);
  public static final Placement ON_DEMAND = new Placement(Capacity.ON_DEMAND, null);

  public Placement {
    Objects.requireNonNull(capacity, "capacity");
    if ((capacity == Capacity.SPOT) != (pool != null)) {
      throw new IllegalArgumentException("a pool is named for spot placements only");
    }
  }

  public static Placement spot(String pool) {
    return new Placement(Capacity.SPOT, pool);
  }

  public boolean isSpot() {
    return capacity == Capacity.SPOT;
  }

  @Override
  public String toString() {
    return isSpot() ? "spot:" + pool : capacity.name().toLowerCase(java.util.Locale.ROOT);
  }
}
