package dev.spotter.reconcile;

import dev.spotter.api.CapacityPolicy;
import dev.spotter.api.CapacityType;
import dev.spotter.api.CheckpointSpec;
import dev.spotter.api.CheckpointTrigger;
import dev.spotter.api.TrainingCapacity;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobStatus;
import dev.spotter.api.WorkProgress;
import dev.spotter.checkpoint.NoticeFit;
import dev.spotter.config.SpotterConfig;
import dev.spotter.policy.CostInputs;
import dev.spotter.policy.JobSituation;
import dev.spotter.policy.Placement;
import dev.spotter.policy.WorkAccount;
import dev.spotter.preemption.NoticeWindows;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TrainingJob side of the cost policy: which jobs it governs (SpotPreferred, with a deadline
 * and {@code capacity.expectedDuration}), their {@link CostInputs} from the spec, their
 * {@link WorkAccount} kept in {@code status.progress}, and their situation at a decision. The
 * decision itself is pure ({@link dev.spotter.scheduling.CostAdvisor}, run by the fleet).
 */
final class CostPolicyFlow {
  private static final Pattern DURATION = Pattern.compile("^(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?$");
  /** The shortest warning a cloud gives (GCP, Azure): a final checkpoint must fit in it to count. */
  private static final Duration SHORTEST_NOTICE = shortestNotice();

  private final SpotterConfig config;

  CostPolicyFlow(SpotterConfig config) {
    this.config = config;
  }

  /** Whether the cost policy makes this job's spot/on-demand choices. */
  static boolean governs(TrainingJob job) {
    TrainingCapacity c = job.getSpec().getCapacity();
    return job.getSpec().policy() == CapacityPolicy.SpotPreferred && c != null && c.getDeadline() != null
        && c.getExpectedDuration() != null && parse(c.getExpectedDuration()) != null;
  }

  /** A Go-style duration such as 48h, 90m or 1h30m; null when it is not one. */
  static Duration parse(String text) {
    if (text == null || text.isEmpty()) return null;
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) return null;
    long s = 0;
    if (m.group(1) != null) s += Long.parseLong(m.group(1)) * 3600;
    if (m.group(2) != null) s += Long.parseLong(m.group(2)) * 60;
    if (m.group(3) != null) s += Long.parseLong(m.group(3));
    return s <= 0 ? null : Duration.ofSeconds(s);
  }

  /** The job's inputs; {@code now} stands for its arrival until {@link #admitting} has recorded one. */
  CostInputs inputs(TrainingJob job, Instant now) {
    TrainingCapacity c = job.getSpec().getCapacity();
    Duration overhead = c.getRestartOverheadSeconds() != null
        ? Duration.ofSeconds(c.getRestartOverheadSeconds()) : config.restartOverhead();
    WorkProgress p = job.getStatus() == null ? null : job.getStatus().getProgress();
    Instant arrival = p != null && p.getArrivedAt() != null ? Instant.parse(p.getArrivedAt()) : now;
    Instant deadline = OffsetDateTime.parse(c.getDeadline()).toInstant();
    Duration expected = parse(c.getExpectedDuration());
    return new CostInputs(expected, overhead, arrival, deadline, maxLoss(job.getSpec().getCheckpoint(), expected));
  }

  /**
   * The work a preemption can lose: none when the job's final checkpoint fits the shortest notice
   * (as the rescue state machine would run it), else up to one periodic checkpoint interval, else
   * everything (a job without checkpoints starts over).
   */
  Duration maxLoss(CheckpointSpec cp, Duration expected) {
    if (cp == null) return expected;
    boolean askable = cp.getTrigger() == CheckpointTrigger.Http && cp.getPort() != null
        || cp.getTrigger() == CheckpointTrigger.Exec && cp.getCommand() != null && !cp.getCommand().isEmpty();
    Duration timeout = Duration.ofSeconds(cp.getTimeoutSeconds() == null ? 20 : cp.getTimeoutSeconds());
    if (askable && NoticeFit.saves(SHORTEST_NOTICE, config.checkpointSafetyMargin(), timeout, timeout)) {
      return Duration.ZERO;
    }
    if (cp.getIntervalSeconds() != null) return Duration.ofSeconds(cp.getIntervalSeconds());
    return cp.getTrigger() == CheckpointTrigger.Http ? config.checkpointPoll() : expected;
  }

  static WorkAccount account(TrainingJobStatus st) {
    WorkProgress p = st.getProgress();
    if (p == null) return WorkAccount.NONE;
    return new WorkAccount(p.committed(), p.getCountingSince() == null ? null : Instant.parse(p.getCountingSince()));
  }

  static void store(TrainingJobStatus st, WorkAccount a) {
    WorkProgress p = st.getProgress() == null ? new WorkProgress() : st.getProgress();
    p.setCommittedSeconds(a.committedSeconds());
    p.setCountingSince(a.countingSince() == null ? null : a.countingSince().toString());
    st.setProgress(p);
  }

  /** The job while it is being admitted (nothing runs); records its arrival the first time. */
  JobSituation admitting(TrainingJob job, Instant now) {
    TrainingJobStatus st = job.getStatus();
    if (st.getProgress() == null || st.getProgress().getArrivedAt() == null) {
      store(st, account(st));
      st.getProgress().setArrivedAt(now.toString());
    }
    WorkAccount a = account(st).stopped();
    return inputs(job, now).situation(a.done(now), Duration.ZERO, Placement.IDLE, now);
  }

  /** The job as it runs now on {@code capacity} in {@code pool}. */
  JobSituation running(TrainingJob job, CapacityType capacity, String pool, Instant now) {
    WorkAccount a = account(job.getStatus());
    Placement here = capacity == CapacityType.Spot ? Placement.spot(pool) : Placement.ON_DEMAND;
    return inputs(job, now).situation(a.done(now), a.overheadLeft(now), here, now);
  }

  /** Every worker runs: the attempt's work counts once its restart overhead is paid. */
  void allRunning(TrainingJob job, Instant now) {
    if (!governs(job)) return;
    TrainingJobStatus st = job.getStatus();
    WorkAccount a = account(st);
    if (a.countingSince() == null) store(st, a.started(now, inputs(job, now).restartOverhead()));
  }

  /** A checkpoint taken at {@code at} was committed. */
  void checkpointed(TrainingJob job, Instant at) {
    if (!governs(job)) return;
    TrainingJobStatus st = job.getStatus();
    store(st, account(st).checkpointed(at));
  }

  /** The attempt ended: work since the last checkpoint no longer counts. */
  static void stopped(TrainingJobStatus st) {
    if (st.getProgress() != null && st.getProgress().getCountingSince() != null) store(st, account(st).stopped());
  }

  private static Duration shortestNotice() {
    Duration d = null;
    for (var cloud : dev.spotter.preemption.Cloud.values()) {
      Duration w = NoticeWindows.DEFAULTS.windowFor(cloud);
      if (w != null && !w.isZero() && (d == null || w.compareTo(d) < 0)) d = w;
    }
    return d == null ? Duration.ofSeconds(30) : d;
  }
}
