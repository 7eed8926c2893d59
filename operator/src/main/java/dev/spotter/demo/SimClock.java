package dev.spotter.demo;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Simulated time: stands at {@code simStart} until {@link #start()}, then runs {@code speed} times
 * faster than the clock under it, so a few days of a spot trace pass in a minute of real time.
 */
public final class SimClock extends Clock {
  private final Clock real;
  private volatile Instant realStart;
  private final Instant simStart;
  private final double speed;

  public SimClock(Clock real, Instant simStart, double speed) {
    if (!(speed > 0) || Double.isInfinite(speed)) {
      throw new IllegalArgumentException("speed must be a positive number, got " + speed);
    }
    this.real = real;
    this.simStart = simStart;
    this.speed = speed;
  }

  /** Sets simulated time running; a second call changes nothing. */
  public synchronized SimClock start() {
    if (realStart == null) {
      realStart = real.instant();
    }
    return this;
  }

  public double speed() {
    return speed;
  }

  public Instant simStart() {
    return simStart;
  }

  /** Simulated time that passed since the start. */
  public Duration elapsed() {
    return Duration.between(simStart, instant());
  }

  /** How long {@code simulated} takes in real time. */
  public Duration toReal(Duration simulated) {
    return Duration.ofNanos((long) (simulated.toNanos() / speed));
  }

  @Override
  public Instant instant() {
    Instant from = realStart;
    if (from == null) {
      return simStart;
    }
    long realNanos = Duration.between(from, real.instant()).toNanos();
    return simStart.plusNanos((long) (realNanos * speed));
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
