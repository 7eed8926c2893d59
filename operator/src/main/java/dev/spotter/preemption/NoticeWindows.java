package dev.spotter.preemption;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a node lives after a notice whose source gives no deadline, per cloud.
 *
 * <p>Defaults follow each cloud's documentation: AWS spot interruption notices come two minutes
 * ahead; GCP spot/preemptible VMs get 30 s; Azure Scheduled Events give at least 30 s for
 * {@code Preempt}; Alibaba Cloud releases a spot instance about five minutes after the interruption
 * event. Tencent Cloud documents the reclaim time in its metadata but no fixed lead time, so 120 s
 * is an assumption (the agent always uses the time Tencent returns). An unknown cloud gets the
 * shortest known window, so Spotter errs towards acting early.
 */
public record NoticeWindows(
    Duration aws,
    Duration gcp,
    Duration azure,
    Duration alibaba,
    Duration tencent,
    Duration unknown) {

  public static final NoticeWindows DEFAULTS =
      new NoticeWindows(
          Duration.ofSeconds(120),
          Duration.ofSeconds(30),
          Duration.ofSeconds(30),
          Duration.ofMinutes(5),
          Duration.ofSeconds(120),
          Duration.ofSeconds(30));

  public NoticeWindows {
    for (Duration d : new Duration[] {aws, gcp, azure, alibaba, tencent, unknown}) {
      Objects.requireNonNull(d, "every notice window must be set");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("notice windows must be positive, got " + d);
      }
    }
  }

  /** The window of one cloud. */
  public Duration windowFor(Cloud cloud) {
    return switch (cloud) {
      case Aws -> aws;
      case Gcp -> gcp;
      case Azure -> azure;
      case Alibaba -> alibaba;
      case Tencent -> tencent;
      case Unknown -> unknown;
    };
  }

  /** A copy with one cloud's window replaced. */
  public NoticeWindows with(Cloud cloud, Duration window) {
    return new NoticeWindows(
        cloud == Cloud.Aws ? window : aws,
        cloud == Cloud.Gcp ? window : gcp,
        cloud == Cloud.Azure ? window : azure,
        cloud == Cloud.Alibaba ? window : alibaba,
        cloud == Cloud.Tencent ? window : tencent,
        cloud == Cloud.Unknown ? window : unknown);
  }
}
