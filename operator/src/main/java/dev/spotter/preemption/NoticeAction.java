package dev.spotter.preemption;

/** What Spotter does to a job that has work on a node under notice. */
public enum NoticeAction {
  /** Ask every rank to checkpoint now, bounded by the deadline, then move the whole gang. */
  CheckpointAndMove,
  /** Too late to checkpoint: move the gang and resume from the last committed checkpoint. */
  ResumeFromLastCheckpoint,
  /** Start a replacement replica elsewhere before the doomed one goes. */
  SurgeReplace,
  /** The replica is already lost: start a replacement now. */
  Replace,
  /** Leave running work alone, but place nothing new on the node. */
  Avoid,
  /** Nothing to do. */
  Ignore
}
