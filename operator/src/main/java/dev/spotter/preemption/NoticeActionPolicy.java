package dev.spotter.preemption;

import java.time.Instant;

/**
 * The one place that maps a notice to an action, per job kind.
 *
 * <pre>
 * kind                     training                   inference
 * SpotInterruption         CheckpointAndMove          SurgeReplace
 * Termination              CheckpointAndMove          SurgeReplace
 * Maintenance              CheckpointAndMove          SurgeReplace
 * PodDisruption            CheckpointAndMove          SurgeReplace
 * RebalanceRecommendation  Avoid                      Avoid
 * NodeNotReady             Avoid                      SurgeReplace
 * NodeGone                 ResumeFromLastCheckpoint   Replace
 * </pre>
 *
 * A rebalance recommendation is only a risk signal, and acting on it would churn every job on a
 * busy spot pool, so new work simply avoids the node; the real interruption notice follows with its
 * own deadline. A NotReady node often comes back, so a training gang (which would lose its
 * progress since the last checkpoint by moving) waits, while an inference replica that no longer
 * answers is cheap to surge. Once the deadline has passed, no checkpoint can be taken, so
 * {@link #actionFor(Notice, JobKind, Instant)} turns CheckpointAndMove into ResumeFromLastCheckpoint
 * and SurgeReplace into Replace.
 */
public final class NoticeActionPolicy {
  private NoticeActionPolicy() {}

  /** The action for a kind of notice hitting a kind of job. */
  public static NoticeAction actionFor(NoticeKind kind, JobKind job) {
    boolean training = job == JobKind.Training;
    return switch (kind) {
      case SpotInterruption, Termination, Maintenance, PodDisruption ->
          training ? NoticeAction.CheckpointAndMove : NoticeAction.SurgeReplace;
      case RebalanceRecommendation -> NoticeAction.Avoid;
      case NodeNotReady -> training ? NoticeAction.Avoid : NoticeAction.SurgeReplace;
      case NodeGone -> training ? NoticeAction.ResumeFromLastCheckpoint : NoticeAction.Replace;
    };
  }

  /** The action for one notice at {@code now}: as above, but nothing pre-emptive after the deadline. */
  public static NoticeAction actionFor(Notice notice, JobKind job, Instant now) {
    NoticeAction action = actionFor(notice.kind(), job);
    if (now.isBefore(notice.deadline())) {
      return action;
    }
    return switch (action) {
      case CheckpointAndMove -> NoticeAction.ResumeFromLastCheckpoint;
      case SurgeReplace -> NoticeAction.Replace;
      default -> action;
    };
  }
}
