package dev.spotter.preemption.source;

import dev.spotter.preemption.NoticeWindows;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/** What every parser needs besides its input: the time and the per-cloud notice windows. */
public record NoticeContext(Clock clock, NoticeWindows windows) {
  public NoticeContext {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(windows, "windows");
  }

  /** The system clock with the documented default windows. */
  public static NoticeContext defaults() {
    return new NoticeContext(Clock.systemUTC(), NoticeWindows.DEFAULTS);
  }

  public Instant now() {
    return clock.instant();
  }
}
