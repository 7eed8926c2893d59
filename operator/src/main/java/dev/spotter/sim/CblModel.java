package dev.spotter.sim;

import dev.spotter.checkpoint.NoticeFit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code cbl} model: the discretisation used by "Can't Be Late" (NSDI '24) and the
 * calibration of issue 11. Turns jobs into ticks of the trace set.
 */
public final class CblModel {
  /** The notice window assumed when the traces do not say: GCP's 30 s. */
  public static final double DEFAULT_NOTICE_SECONDS = 30;

  private CblModel() {}

  public static List<TickJob> toTicks(List<SimJob> jobs, TraceSet traces) {
    List<TickJob> out = new ArrayList<>(jobs.size());
    for (int i = 0; i < jobs.size(); i++) out.add(toTicks(i, jobs.get(i), traces));
    return out;
  }

  public static TickJob toTicks(int index, SimJob job, TraceSet traces) {
    double g = traces.gapSeconds();
    int end = traces.ticks();
    int arrival = (int) Math.ceil(job.arrivalHours() * 3600 / g - 1e-9);
    int deadline = job.deadlineHours() == null
        ? end
        : (int) Math.min(end, arrival + Math.floor(job.deadlineHours() * 3600 / g + 1e-9));
    int work = (int) Math.ceil(job.computeHours() * 3600 / g - 1e-9);
    int restart = (int) Math.round(job.restartOverheadMinutes() * 60 / g);
    int checkpoint = job.checkpointIntervalMinutes() == null
        ? 0
        : (int) Math.max(1, Math.round(job.checkpointIntervalMinutes() * 60 / g));
    // the operator's rescue state machine decides whether the final checkpoint counts; the model
    // keeps no safety margin and lets the checkpoint use the whole window
    Duration window = Duration.ofMillis(Math.round(DEFAULT_NOTICE_SECONDS * 1000));
    boolean noticeSaves = job.noticeCheckpointSeconds() != null
        && NoticeFit.saves(window, Duration.ZERO, window, Duration.ofMillis(Math.round(job.noticeCheckpointSeconds() * 1000)));
    double factor = g / 3600.0 * job.gpus();
    return new TickJob(index, job, arrival, deadline, work, restart, checkpoint, noticeSaves, factor);
  }
}
