package dev.spotter.preemption;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One normalized preemption notice: which node, what is happening, who said so, and by when the
 * node (or, for {@link NoticeKind#PodDisruption}, the pod named in {@code detail}) will be gone.
 *
 * @param node the Kubernetes node name
 * @param kind what the notice announces
 * @param source which parser or agent produced it (a bounded metric tag)
 * @param deadline when the node goes: from the source when it says, else the cloud's window
 * @param observedAt when the window started: the source's own time when it records one, else the
 *     time of parsing (callers that re-parse keep the first notice per node, kind and source)
 * @param detail human-readable context for logs and Events, never parsed; may be empty
 */
public record Notice(
    String node,
    NoticeKind kind,
    NoticeSource source,
    Instant deadline,
    Instant observedAt,
    String detail) {

  public Notice {
    if (node == null || node.isBlank()) {
      throw new IllegalArgumentException("a notice needs a node name");
    }
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(observedAt, "observedAt");
    detail = detail == null ? "" : detail;
  }

  /** Time left before the deadline at {@code now}; negative once it has passed. */
  public Duration remaining(Instant now) {
    return Duration.between(now, deadline);
  }

  /** True when {@code other} should win over this one for the same node. */
  public boolean supersededBy(Notice other) {
    if (other.kind.urgency() != kind.urgency()) {
      return other.kind.urgency() > kind.urgency();
    }
    return other.deadline.isBefore(deadline);
  }
}
