package dev.spotter.sim;

import java.util.Objects;

/**
 * One job of a workload file, in the units users write: GPUs, hours and minutes.
 *
 * @param deadlineHours after arrival; {@code null} = none (the end of the trace)
 * @param checkpointIntervalMinutes {@code null} = no periodic checkpoint (a preemption loses all)
 * @param noticeCheckpointSeconds {@code null} = no final checkpoint in the notice window
 */
public record SimJob(
    String name,
    int gpus,
    double computeHours,
    Double deadlineHours,
    double arrivalHours,
    Double checkpointIntervalMinutes,
    double restartOverheadMinutes,
    Double noticeCheckpointSeconds) {

  public SimJob {
    Objects.requireNonNull(name, "name");
    if (gpus <= 0) throw new IllegalArgumentException(name + ": gpus must be positive");
    if (!(computeHours > 0)) throw new IllegalArgumentException(name + ": computeHours must be positive");
    if (deadlineHours != null && !(deadlineHours > 0)) {
      throw new IllegalArgumentException(name + ": deadlineHours must be positive");
    }
    if (arrivalHours < 0) throw new IllegalArgumentException(name + ": arrivalHours cannot be negative");
    if (restartOverheadMinutes < 0) {
      throw new IllegalArgumentException(name + ": restartOverheadMinutes cannot be negative");
    }
  }

  /** The Can't Be Late style job used by the calibration: 8 GPUs, 12 min overhead, 30 min checkpoints. */
  public static SimJob cbl(String name, double computeHours, double deadlineHours, double arrivalHours) {
    return new SimJob(name, 8, computeHours, deadlineHours, arrivalHours, 30.0, 12.0, 20.0);
  }
}
