package dev.spotter.reconcile;

import dev.spotter.api.Api;
import dev.spotter.api.CapacityType;
import dev.spotter.api.CheckpointRef;
import dev.spotter.api.CheckpointSpec;
import dev.spotter.api.CheckpointTrigger;
import dev.spotter.api.Conditions;
import dev.spotter.api.JobCost;
import dev.spotter.api.JobPhase;
import dev.spotter.api.Rescue;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobStatus;
import dev.spotter.checkpoint.CheckpointReport;
import dev.spotter.checkpoint.LostWork;
import dev.spotter.checkpoint.PreemptionHistory;
import dev.spotter.checkpoint.RescuePlanner;
import dev.spotter.fleet.Fleet;
import dev.spotter.metrics.SpotterMetrics;
import dev.spotter.preemption.JobKind;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeAction;
import dev.spotter.preemption.NoticeActionPolicy;
import dev.spotter.scheduling.Decision;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The notice → checkpoint → move flow of a training gang: asking every rank at once, recording
 * the outcome, and moving the whole gang off the doomed capacity. Decisions come from the pure
 * {@link RescuePlanner}; the owning reconciler supplies admission and status writes.
 */
final class GangRescue {
  private final TrainingJobReconciler owner;
  private final Fleet fleet;
  private final EventRecorder events;
  private final CheckpointClient checkpoints;
  private final SpotterMetrics metrics;
  private final CheckpointCalls calls;
  private final PreemptionHistory history;
  private final Map<String, Long> movedAfterNotice;

  GangRescue(TrainingJobReconciler owner, Fleet fleet, EventRecorder events, CheckpointClient checkpoints,
      SpotterMetrics metrics, CheckpointCalls calls, PreemptionHistory history, Map<String, Long> movedAfterNotice) {
    this.owner = owner;
    this.fleet = fleet;
    this.events = events;
    this.checkpoints = checkpoints;
    this.metrics = metrics;
    this.calls = calls;
    this.history = history;
    this.movedAfterNotice = movedAfterNotice;
  }

  /**
   * Fast path, called by the fleet the moment a notice appears: asks the ranks of every job on the
   * node for a checkpoint right away (from the caches, without waiting for a reconcile thread).
   * Asking is harmless and idempotent, so it may precede the status record; the reconcile that
   * follows records the rescue and finds the requests already in flight under the same id.
   */
  void noticed(Notice notice, IndexerResourceCache<TrainingJob> primaries, InformerEventSource<Pod, TrainingJob> podSource) {
    if (primaries == null || podSource == null) {
      return;
    }
    Instant now = fleet.clock().instant();
    NoticeAction action = NoticeActionPolicy.actionFor(notice, JobKind.Training, now);
    if (action != NoticeAction.CheckpointAndMove) {
      return;
    }
    for (TrainingJob job : primaries.list(j -> j.getStatus() != null && j.getStatus().getPlacement() != null
        && j.getStatus().getRescue() == null && j.getStatus().getPlacement().getNodes().contains(notice.node())).toList()) {
      CheckpointSpec cp = job.getSpec().getCheckpoint();
      if (cp == null || cp.getTrigger() != CheckpointTrigger.Http || cp.getPort() == null) {
        continue;
      }
      String id = requestId(job, notice);
      if (!calls.claim(id)) {
        continue;
      }
      Instant deadline = RescuePlanner.next(new RescuePlanner.Situation(now, notice.deadline(), fleet.config().checkpointSafetyMargin(),
          true, Duration.ofSeconds(cp.getTimeoutSeconds() == null ? 20 : cp.getTimeoutSeconds()), null, job.getSpec().workers(), 0, false))
          .requestDeadline();
      String attempt = Integer.toString(job.getStatus().attempt());
      Map<Integer, Pod> ranks = new HashMap<>();
      podSource.list(job.getMetadata().getNamespace(), p -> job.getMetadata().getName().equals(p.getMetadata().getLabels().get(Api.LABEL_JOB))
              && attempt.equals(p.getMetadata().getLabels().get(Api.LABEL_ATTEMPT)))
          .forEach(p -> ranks.put(Integer.parseInt(p.getMetadata().getLabels().get(Api.LABEL_RANK)), p));
      Rescue r = new Rescue();
      r.setRequestId(id);
      r.setNode(notice.node());
      ask(job, ranks, cp, r, deadline);
    }
  }

  static String requestId(TrainingJob job, Notice notice) {
    return job.getMetadata().getName() + "-a" + job.getStatus().attempt() + "-" + notice.observedAt().getEpochSecond();
  }

  Notice mostUrgentNotice(List<String> nodes) {
    Notice best = null;
    for (String n : new java.util.LinkedHashSet<>(nodes)) {
      Notice x = fleet.noticeOn(n);
      if (x != null && (best == null || best.supersededBy(x))) {
        best = x;
      }
    }
    return best;
  }

  /** Records that a notice is being handled (intent), before anything is asked of the workers. */
  Rescue start(TrainingJob job, Notice notice, Instant now) {
    TrainingJobStatus st = job.getStatus();
    Rescue r = new Rescue();
    r.setRequestId(requestId(job, notice));
    r.setNode(notice.node());
    r.setNoticeKind(notice.kind().name());
    r.setNoticeSource(notice.source().tag());
    r.setNoticeDeadline(notice.deadline().toString());
    r.setNoticeSeenAt(now.toString());
    st.setRescue(r);
    st.setPhase(JobPhase.Checkpointing);
    st.setReason("PreemptionNotice");
    st.setMessage(notice.kind() + " notice from " + notice.source().tag() + " on node " + notice.node()
        + ": the node goes at " + notice.deadline() + "; checkpointing the gang");
    Conditions.set(st.getConditions(), "Checkpointing", true, "PreemptionNotice", st.getMessage(), job.getMetadata().getGeneration(), now);
    events.warning(job, "PreemptionNotice", st.getMessage());
    metrics.notice(notice.source().tag(), notice.kind().name());
    return r;
  }

  /** One step of the notice -> checkpoint -> move state machine. */
  UpdateControl<TrainingJob> step(TrainingJob job, Context<TrainingJob> ctx, Map<Integer, Pod> current, String before, Instant now) {
    TrainingJobStatus st = job.getStatus();
    Rescue r = st.getRescue();
    CheckpointSpec cp = job.getSpec().getCheckpoint();
    int workers = job.getSpec().workers();
    boolean askable = cp != null && (cp.getTrigger() == CheckpointTrigger.Http && cp.getPort() != null
        || cp.getTrigger() == CheckpointTrigger.Exec && cp.getCommand() != null && !cp.getCommand().isEmpty());
    Duration timeout = Duration.ofSeconds(cp == null || cp.getTimeoutSeconds() == null ? 20 : cp.getTimeoutSeconds());
    Instant requestedAt = r.getRequestedAt() == null ? null : Instant.parse(r.getRequestedAt());
    Map<Integer, CompletableFuture<CheckpointReport>> inFlight = calls.requests(r.getRequestId());
    boolean refused = false;
    CheckpointReport report = null;
    int held = 0;
    for (var e : inFlight.entrySet()) {
      CompletableFuture<CheckpointReport> f = e.getValue();
      if (f.isDone()) {
        if (f.isCompletedExceptionally()) {
          refused = true;
        } else {
          held++;
          if (!r.getCommittedRanks().contains(e.getKey())) {
            r.getCommittedRanks().add(e.getKey());
          }
          if (e.getKey() == 0) {
            report = f.join();
          }
        }
      }
    }
    // decided on the answers this process holds: committedRanks in status (from before a restart)
    // carry no checkpoint id, so a restarted operator asks again rather than move without one
    RescuePlanner.Plan plan = RescuePlanner.next(new RescuePlanner.Situation(now, Instant.parse(r.getNoticeDeadline()),
        fleet.config().checkpointSafetyMargin(), askable, timeout, requestedAt, workers, held, refused));
    KubernetesClient client = ctx.getClient();
    switch (plan.step()) {
      case REQUEST -> {
        r.setRequestedAt(now.toString());
        if (calls.claim(r.getRequestId())) {
          ask(job, current, cp, r, plan.requestDeadline());
        }
        job = owner.recordIntent(job, ctx); // a restarted operator finds the rescue and asks again with the same id
        boolean answered = !inFlight.isEmpty() && inFlight.values().stream().allMatch(CompletableFuture::isDone);
        // answers that came in before this write woke nobody: look at them right away
        return answered ? UpdateControl.<TrainingJob>noUpdate().rescheduleAfter(Duration.ofMillis(10))
            : owner.requeueAt(plan.requestDeadline(), now);
      }
      case WAIT -> {
        if (calls.claim(r.getRequestId()) || inFlight.isEmpty()) {
          // this process holds no answer to wait for (it restarted, or lost them): ask again, same id
          ask(job, current, cp, r, plan.requestDeadline());
        }
        return owner.write(job, ctx, before, owner.until(plan.requestDeadline(), now));
      }
      case COMMITTED -> {
        CheckpointRef ref = new CheckpointRef();
        ref.setId(report != null ? report.id() : r.getRequestId());
        ref.setStep(report == null ? null : report.step());
        ref.setTime((report != null && report.time() != null ? report.time() : now).toString());
        ref.setSource("Notice");
        ref.setAttempt(st.getAttempt());
        st.setLastCheckpoint(ref);
        owner.checkpointed(job, Instant.parse(ref.getTime()));
        metrics.checkpoint("committed");
        if (requestedAt != null) {
          metrics.timer(SpotterMetrics.CHECKPOINT_DURATION, "Checkpoint request to commit", io.micrometer.core.instrument.Tags.empty())
              .record(Duration.between(requestedAt, now));
        }
        moveGang(job, "Rescheduled", "all " + workers + " rank(s) committed checkpoint " + ref.getId()
            + " before the notice deadline; the gang moves off node " + r.getNode() + " and resumes from it", now,
            fleet.noticeSeenNanos(r.getNode()));
      }
      case MISSED, MOVE -> {
        if (plan.step() == RescuePlanner.Step.MOVE && cp != null && cp.getTrigger() == CheckpointTrigger.Signal) {
          // SIGTERM with a grace period that ends before the node goes: the workload saves on its way out
          long left = Duration.between(now, Instant.parse(r.getNoticeDeadline()).minus(fleet.config().checkpointSafetyMargin())).toSeconds();
          long grace = Math.max(1, Math.min(left, cp.getTimeoutSeconds() == null ? 20 : cp.getTimeoutSeconds()));
          for (Pod p : current.values()) {
            client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).withGracePeriod(grace).delete();
          }
          events.normal(job, "Checkpointing", "sent SIGTERM to " + current.size() + " worker(s) with " + grace
              + " s to save a checkpoint before node " + r.getNode() + " goes");
        }
        if (plan.step() == RescuePlanner.Step.MISSED) {
          metrics.checkpoint("missed");
          events.warning(job, "CheckpointMissed", plan.why() + "; resuming from " + resumeDescription(st));
        }
        lose(job, now);
        moveGang(job, "Rescheduled", plan.why() + "; the gang moves off node " + r.getNode()
            + " and resumes from " + resumeDescription(st), now, fleet.noticeSeenNanos(r.getNode()));
      }
      default -> throw new IllegalStateException(plan.step().toString());
    }
    UpdateControl<TrainingJob> written = owner.writeThenDelete(job, ctx, before, Duration.ofMillis(200), current.values());
    // only once the move is recorded (intent first) are the old attempt's pods deleted and the
    // answers dropped; when the write fails, the retried reconcile still has both and commits the same checkpoint
    calls.forget(r.getRequestId());
    return written;
  }

  private void ask(TrainingJob job, Map<Integer, Pod> current, CheckpointSpec cp, Rescue r, Instant deadline) {
    Map<Integer, CompletableFuture<CheckpointReport>> inFlight = calls.requests(r.getRequestId());
    long seen = fleet.noticeSeenNanos(r.getNode());
    for (int rank = 0; rank < job.getSpec().workers(); rank++) {
      Pod pod = current.get(rank);
      CompletableFuture<CheckpointReport> f = pod == null
          ? CompletableFuture.failedFuture(new IllegalStateException("rank " + rank + " has no pod"))
          : checkpoints.request(pod, cp, r.getRequestId(), deadline);
      inFlight.put(rank, f);
      f.whenComplete((ok, err) -> owner.wake(job));
    }
    if (seen != 0) {
      metrics.timer(SpotterMetrics.NOTICE_TO_CHECKPOINT, "Notice seen to checkpoint requested", io.micrometer.core.instrument.Tags.empty())
          .record(Duration.ofNanos(System.nanoTime() - seen));
    }
  }

  /**
   * Moves the whole gang: a preemption, never a user failure; repeated ones send it to on-demand.
   * Decides the new placement into the status only; the caller deletes the old pods once that
   * status is written.
   */
  void moveGang(TrainingJob job, String reason, String message,
      Instant now, long noticeSeenNanos) {
    TrainingJobStatus st = job.getStatus();
    String key = TrainingJobReconciler.key(job);
    st.setPreemptions(st.preemptions() + 1);
    List<Instant> recent = history.record(st.getRecentPreemptions() == null ? List.of()
        : st.getRecentPreemptions().stream().map(Instant::parse).toList(), now);
    st.setRecentPreemptions(recent.stream().map(Instant::toString).toList());
    // a job under the cost policy gets no cool-down: the pool's history already tells the policy how choppy it is
    Instant until = job.getSpec().policy() == dev.spotter.api.CapacityPolicy.SpotPreferred && !CostPolicyFlow.governs(job)
        && st.getPlacement() != null && st.getPlacement().getCapacityType() == CapacityType.Spot
        ? history.onDemandUntil(recent, now) : null;
    if (until != null) {
      st.setOnDemandUntil(until.toString());
      metrics.fallback("repeated_preemptions");
      events.warning(job, "FallbackToOnDemand", recent.size() + " preemptions within " + fleet.config().preemptionWindow().toMinutes()
          + " min: the job runs on on-demand until " + until + ", then returns to spot at a checkpoint");
    }
    st.setRescue(null);
    Conditions.set(st.getConditions(), "Checkpointing", false, reason, message, job.getMetadata().getGeneration(), now);
    calls.forgetJobPoll(key); // a periodic poll of the old attempt must not land after the move, over a newer checkpoint
    // the old pods go once this is recorded (TrainingJobReconciler.writeThenDelete)
    fleet.release(key);
    owner.restart(job, reason, message, now);
    // decide the new placement now, recorded in the same write; pods start once the old ones are gone
    Decision d = owner.admit(job, key, st, now);
    String where = "";
    if (d instanceof Decision.Placed p) {
      owner.applyPlacement(job, p, now, false);
      where = "; attempt " + st.getAttempt() + " goes to pool " + p.pool().name() + " (" + p.capacityType() + ")";
      st.setMessage(message + where);
    }
    metrics.reschedule(reason.equals("Preempted") ? "disruption" : "notice");
    if (noticeSeenNanos != 0) {
      movedAfterNotice.put(key, noticeSeenNanos);
    } else {
      movedAfterNotice.put(key, System.nanoTime());
    }
    events.warning(job, reason, message + where);
  }

  /** Accounts the work since the last committed checkpoint (or the attempt's start) as lost. */
  void lose(TrainingJob job, Instant now) {
    TrainingJobStatus st = job.getStatus();
    Instant since = st.getAdmittedAt() == null ? null : Instant.parse(st.getAdmittedAt());
    if (st.getLastCheckpoint() != null && st.getLastCheckpoint().getTime() != null) {
      Instant cpTime = Instant.parse(st.getLastCheckpoint().getTime());
      if (since == null || cpTime.isAfter(since)) {
        since = cpTime;
      }
    }
    double lost = LostWork.gpuHours(since, now, job.getSpec().workers() * job.getSpec().gpusPerWorker());
    JobCost cost = st.getCost() == null ? new JobCost() : st.getCost();
    cost.setLostGpuHours((cost.getLostGpuHours() == null ? 0 : cost.getLostGpuHours()) + lost);
    st.setCost(cost);
    metrics.counter(SpotterMetrics.LOST_GPU_HOURS, "GPU-hours of work lost to preemptions", io.micrometer.core.instrument.Tags.empty())
        .increment(lost);
  }

  static String resumeDescription(TrainingJobStatus st) {
    return st.getLastCheckpoint() == null ? "the start (no checkpoint committed yet)"
        : "checkpoint " + st.getLastCheckpoint().getId();
  }
}
