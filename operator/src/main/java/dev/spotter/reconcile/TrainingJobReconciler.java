package dev.spotter.reconcile;

import dev.spotter.api.Api;
import dev.spotter.api.CapacityType;
import dev.spotter.api.CheckpointRef;
import dev.spotter.api.CheckpointSpec;
import dev.spotter.api.CheckpointTrigger;
import dev.spotter.api.Rescue;
import dev.spotter.checkpoint.CheckpointReport;
import dev.spotter.checkpoint.PreemptionHistory;
import dev.spotter.metrics.SpotterMetrics;
import dev.spotter.preemption.JobKind;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeAction;
import dev.spotter.preemption.NoticeActionPolicy;
import java.util.Optional;
import dev.spotter.api.Conditions;
import dev.spotter.api.JobPhase;
import dev.spotter.api.Placement;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobSpec;
import dev.spotter.api.TrainingJobStatus;
import dev.spotter.fleet.Fleet;
import dev.spotter.scheduling.Accelerators;
import dev.spotter.scheduling.Allocations;
import dev.spotter.scheduling.Decision;
import dev.spotter.scheduling.GangRequest;
import dev.spotter.scheduling.PoolInfo;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a TrainingJob: observe its pods and the fleet, decide (gang placement, restart or finish),
 * record the intent in status with an optimistic lock, then create or delete pods.
 */
@ControllerConfiguration(name = "trainingjob")
public class TrainingJobReconciler implements Reconciler<TrainingJob>, JobController {
  public static final String KIND = "TrainingJob";

  private final Fleet fleet;
  private final EventRecorder events;
  private final CheckpointClient checkpoints;
  private final SpotterMetrics metrics;
  private final CheckpointCalls calls = new CheckpointCalls();
  private final PreemptionHistory history;
  /** Jobs moved after a notice: when the notice was seen, for the notice-to-reschedule latency. */
  private final Map<String, Long> movedAfterNotice = new java.util.concurrent.ConcurrentHashMap<>();
  private SimpleInboundEventSource<TrainingJob> wakeups;
  private final GangRescue rescues;
  private final CostPolicyFlow costs;
  private volatile InformerEventSource<Pod, TrainingJob> podSource;
  private volatile io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache<TrainingJob> primaries;

  public TrainingJobReconciler(Fleet fleet, EventRecorder events, CheckpointClient checkpoints, SpotterMetrics metrics) {
    this.fleet = fleet;
    this.events = events;
    this.checkpoints = checkpoints;
    this.metrics = metrics;
    var c = fleet.config();
    this.history = new PreemptionHistory(c.preemptionsBeforeOnDemand(), c.preemptionWindow(), c.onDemandCooldown());
    this.costs = new CostPolicyFlow(c);
    this.rescues = new GangRescue(this, fleet, events, checkpoints, metrics, calls, history, movedAfterNotice);
  }

  /** Fast path for new notices; see {@link GangRescue#noticed}. */
  public void noticed(Notice notice) {
    rescues.noticed(notice, primaries, podSource);
  }

  void wake(TrainingJob job) {
    if (wakeups != null) {
      wakeups.propagateEvent(new ResourceID(job.getMetadata().getName(), job.getMetadata().getNamespace()));
    }
  }

  public static String key(TrainingJob job) {
    return KIND + "/" + job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }

  @Override
  public List<EventSource<?, TrainingJob>> prepareEventSources(EventSourceContext<TrainingJob> ctx) {
    var pods = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, TrainingJob.class)
            .withLabelSelector(Api.LABEL_KIND + "=" + KIND)
            .withNamespacesInheritedFromController()
            .build(),
        ctx);
    podSource = pods;
    primaries = ctx.getPrimaryCache();
    wakeups = new SimpleInboundEventSource<>("trainingjob-wakeups");
    fleet.onWake(KIND, key -> {
      String[] p = key.split("/", 3);
      wakeups.propagateEvent(new ResourceID(p[2], p[1]));
    });
    return List.of(pods, wakeups);
  }

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public boolean started() {
    return primaries != null && podSource != null;
  }

  @Override
  public boolean exists(String namespace, String name) {
    return primaries != null && primaries.get(new ResourceID(name, namespace)).isPresent();
  }

  @Override
  public java.util.stream.Stream<JobPhaseView> phases() {
    if (primaries == null) {
      return java.util.stream.Stream.empty();
    }
    return primaries.list(j -> true).map(j -> {
      var st = j.getStatus();
      String phase = st == null || st.getPhase() == null ? "Pending" : st.getPhase().name();
      String waiting = st != null && (st.getPhase() == JobPhase.Pending || st.getPhase() == JobPhase.Restarting) ? st.getReason() : null;
      return new JobPhaseView(j.getMetadata().getNamespace(), phase, waiting);
    });
  }

  @Override
  public java.util.stream.Stream<Pod> pods() {
    return podSource == null ? java.util.stream.Stream.empty() : podSource.list(p -> true);
  }

  @Override
  public UpdateControl<TrainingJob> reconcile(TrainingJob job, Context<TrainingJob> ctx) {
    return metrics.timedReconcile("trainingjob", () -> doReconcile(job, ctx));
  }

  private UpdateControl<TrainingJob> doReconcile(TrainingJob job, Context<TrainingJob> ctx) {
    String key = key(job);
    TrainingJobStatus st = job.getStatus() == null ? new TrainingJobStatus() : job.getStatus();
    job.setStatus(st);
    String before = Serialization.asJson(st);
    Instant now = fleet.clock().instant();
    Long gen = job.getMetadata().getGeneration();
    List<Pod> pods = new ArrayList<>(ctx.getSecondaryResources(Pod.class));
    KubernetesClient client = ctx.getClient();

    if (st.getPhase() != null && st.getPhase().isFinal()) {
      fleet.release(key);
      calls.forgetJob(key);
      if (st.getPhase() == JobPhase.Failed) {
        PodOps.deleteLive(client, pods);
      }
      return UpdateControl.noUpdate();
    }

    List<String> errors = SpecChecks.training(job.getSpec());
    if (!errors.isEmpty()) {
      String msg = String.join("; ", errors);
      if (Conditions.set(st.getConditions(), Conditions.VALID, false, Conditions.REASON_INVALID_SPEC, msg, gen, now)) {
        events.warning(job, Conditions.REASON_INVALID_SPEC, msg);
      }
      if (st.getPlacement() == null) {
        st.setPhase(JobPhase.Pending);
        st.setReason(Conditions.REASON_INVALID_SPEC);
        st.setMessage(msg);
      }
      return write(job, ctx, before, null);
    }
    Conditions.set(st.getConditions(), Conditions.VALID, true, "SpecValid", "the spec passed every check", gen, now);
    st.setObservedGeneration(gen);

    if (st.getPlacement() == null) {
      // never two live pods for one rank: the old attempt must be gone (or its node) before a new one starts
      List<Pod> live = pods.stream().filter(PodOutcome::live).toList();
      List<Pod> blocking = live.stream().filter(p -> PodOps.nodeOf(p) == null || fleet.node(PodOps.nodeOf(p)) != null).toList();
      PodOps.deleteLive(client, live);
      if (!blocking.isEmpty()) {
        return write(job, ctx, before, Duration.ofSeconds(1));
      }
      String missing = PodOps.missingCheckpointVolume(job, client);
      if (missing != null) {
        st.setPhase(JobPhase.Pending);
        if (!"MissingCheckpointVolume".equals(st.getReason())) {
          events.warning(job, "MissingCheckpointVolume", missing);
        }
        st.setReason("MissingCheckpointVolume");
        st.setMessage(missing);
        Conditions.set(st.getConditions(), Conditions.ADMITTED, false, "MissingCheckpointVolume", missing, gen, now);
        return write(job, ctx, before, fleet.config().pendingRecheck());
      }
      Decision d = admit(job, key, st, now);
      if (d instanceof Decision.Wait w) {
        return waitFor(job, ctx, before, w, now);
      }
      PodOps.ownCheckpointVolumeIfAsked(job, client);
      Decision.Placed p = (Decision.Placed) d;
      applyPlacement(job, p, now);
      job = recordIntent(job, ctx);
      st = job.getStatus();
      before = Serialization.asJson(st);
    }
    return run(job, ctx, pods, before, now);
  }

  /** Records an admission in status (the intent the pods are then created from). */
  private void applyPlacement(TrainingJob job, Decision.Placed p, Instant now) {
    applyPlacement(job, p, now, true);
  }

  void applyPlacement(TrainingJob job, Decision.Placed p, Instant now, boolean event) {
    TrainingJobStatus st = job.getStatus();
    Long gen = job.getMetadata().getGeneration();
    metrics.admitted(p.capacityType().name());
    if (p.capacityType() == CapacityType.OnDemand && job.getSpec().policy() == dev.spotter.api.CapacityPolicy.SpotPreferred) {
      if (p.why().startsWith("cost policy")) {
        metrics.fallback("cost_policy");
      } else if (p.why().contains("falling back") || p.why().contains("repeated preemptions") || p.why().contains("deadline")) {
        metrics.fallback(p.why().contains("deadline") ? "deadline" : p.why().contains("repeated") ? "repeated_preemptions" : "spot_wait_expired");
      }
    }
    st.setAttempt(st.attempt() + 1);
    st.setPlacement(new Placement(p.pool().name(), p.capacityType(), p.pool().zone(), p.pool().pricePerGpuHour(), p.nodes()));
    st.setPhase(JobPhase.Running);
    st.setReason(Conditions.REASON_PLACED);
    st.setMessage(p.why());
    st.setAdmittedAt(now.toString());
    st.setPendingSince(null);
    st.setRunningWorkers(0);
    st.setSucceededWorkers(0);
    Conditions.set(st.getConditions(), Conditions.ADMITTED, true, Conditions.REASON_PLACED,
        "attempt " + st.getAttempt() + " on pool " + p.pool().name() + " (" + p.capacityType() + "): " + p.why(), gen, now);
    Conditions.set(st.getConditions(), Conditions.RUNNING, false, Conditions.REASON_WORKERS_STARTING,
        "0 of " + job.getSpec().workers() + " worker(s) running", gen, now);
    if (event) {
      events.normal(job, "Admitted", "attempt " + st.getAttempt() + ": " + job.getSpec().workers() + " worker(s) on pool "
          + p.pool().name() + " (" + p.capacityType() + ", nodes " + String.join(",", p.nodes()) + "): " + p.why());
    }
  }

  Decision admit(TrainingJob job, String key, TrainingJobStatus st, Instant now) {
    if (st.getPendingSince() == null) {
      st.setPendingSince(now.toString());
    }
    TrainingJobSpec s = job.getSpec();
    Duration wait = s.getCapacity() != null && s.getCapacity().getMaxSpotWaitSeconds() != null
        ? Duration.ofSeconds(s.getCapacity().getMaxSpotWaitSeconds()) : fleet.config().spotWait();
    Instant deadline = s.getCapacity() == null || s.getCapacity().getDeadline() == null ? null
        : OffsetDateTime.parse(s.getCapacity().getDeadline()).toInstant();
    boolean governed = CostPolicyFlow.governs(job);
    CapacityType forced = null;
    // the cost policy reads each pool's preemption history itself: no cool-down is imposed on its jobs
    if (!governed && s.policy() == dev.spotter.api.CapacityPolicy.SpotPreferred && st.getOnDemandUntil() != null
        && now.isBefore(Instant.parse(st.getOnDemandUntil()))) {
      forced = CapacityType.OnDemand;
    }
    GangRequest req = new GangRequest(key, job.getMetadata().getNamespace(),
        fleet.namespaceLabels(job.getMetadata().getNamespace()), s.workers(), s.gpusPerWorker(), s.getGpuModel(),
        Accelerators.resolve(s.getGpuResource(), fleet.config().gpuResource()), s.policy(), Instant.parse(st.getPendingSince()), wait, deadline, null, forced);
    if (governed) {
      return fleet.admitGang(KIND, key, req, costs.admitting(job, now));
    }
    return fleet.admitGang(KIND, key, req);
  }

  private UpdateControl<TrainingJob> waitFor(TrainingJob job, Context<TrainingJob> ctx, String before, Decision.Wait w, Instant now) {
    TrainingJobStatus st = job.getStatus();
    String reason = w.reason().name();
    boolean changedReason = !reason.equals(st.getReason());
    st.setPhase(st.attempt() > 0 ? JobPhase.Restarting : JobPhase.Pending);
    st.setReason(reason);
    st.setMessage(w.message());
    Conditions.set(st.getConditions(), Conditions.ADMITTED, false, reason, w.message(), job.getMetadata().getGeneration(), now);
    if (changedReason) {
      if (w.reason() == Decision.WaitReason.InsufficientCapacity) {
        events.normal(job, reason, w.message());
      } else {
        events.warning(job, reason, w.message());
      }
    }
    Duration recheck = fleet.config().pendingRecheck();
    if (w.recheckAt() != null && w.recheckAt().isAfter(now)) {
      // a recheck time already past would requeue at once, again and again, while nothing changes
      Duration until = Duration.between(now, w.recheckAt()).plusMillis(50);
      recheck = until.compareTo(recheck) < 0 ? until : recheck;
    }
    return write(job, ctx, before, recheck);
  }

  private UpdateControl<TrainingJob> run(TrainingJob job, Context<TrainingJob> ctx, List<Pod> pods, String before, Instant now) {
    String key = key(job);
    TrainingJobStatus st = job.getStatus();
    Placement pl = st.getPlacement();
    int attempt = st.attempt();
    int workers = job.getSpec().workers();
    KubernetesClient client = ctx.getClient();
    fleet.restore(key, new Allocations.Holding(pl.getPool(), pl.getCapacityType(), pl.getNodes(), job.getSpec().gpusPerWorker()));

    Map<Integer, Pod> current = new HashMap<>();
    List<Pod> stale = new ArrayList<>();
    for (Pod p : pods) {
      String a = p.getMetadata().getLabels().get(Api.LABEL_ATTEMPT);
      String r = p.getMetadata().getLabels().get(Api.LABEL_RANK);
      if (Objects.equals(a, Integer.toString(attempt)) && r != null) {
        current.put(Integer.parseInt(r), p);
      } else {
        stale.add(p);
      }
    }
    PodOps.deleteLive(client, stale);
    // never two live pods for one rank: an older attempt's pod must be gone (or its node) first
    boolean oldAttemptAlive = stale.stream()
        .anyMatch(p -> PodOutcome.live(p) && (PodOps.nodeOf(p) == null || fleet.node(PodOps.nodeOf(p)) != null));

    PoolInfo pool = fleet.catalog().pools().get(pl.getPool());
    Rescue rescue = st.getRescue();
    if (rescue == null) {
      Notice notice = rescues.mostUrgentNotice(pl.getNodes());
      if (notice == null) {
        // a running pod marked DisruptionTarget (eviction, preemption by the scheduler) is a notice too
        for (Pod p : current.values()) {
          if (p.getStatus() != null && "Running".equals(p.getStatus().getPhase()) && PodOutcome.of(p) == PodOutcome.DISRUPTED) {
            notice = fleet.podNotices(p).stream().findFirst().orElse(null);
            if (notice != null) {
              break;
            }
          }
        }
      }
      if (notice != null) {
        NoticeAction action = NoticeActionPolicy.actionFor(notice, JobKind.Training, now);
        if (action == NoticeAction.CheckpointAndMove || action == NoticeAction.ResumeFromLastCheckpoint) {
          // recorded together with the first step below (one write before the workers are asked)
          rescue = rescues.start(job, notice, now);
        }
      }
    }
    if (rescue != null) {
      return rescues.step(job, ctx, current, before, now);
    }

    int running = 0;
    int succeeded = 0;
    String userFailure = null;
    String disruption = null;
    if (pool == null) {
      disruption = "pool " + pl.getPool() + " no longer exists";
    }
    for (int rank = 0; rank < workers && disruption == null; rank++) {
      Pod p = current.get(rank);
      PodOutcome o = p == null ? null : PodOutcome.of(p);
      String node = pl.getNodes().get(rank);
      if (o == PodOutcome.SUCCEEDED) {
        succeeded++;
        continue;
      }
      if (o == PodOutcome.USER_FAILURE) {
        userFailure = "worker " + rank + " (pod " + p.getMetadata().getName() + ") failed: " + PodOps.describe(p);
        continue;
      }
      if (o == PodOutcome.DISRUPTED) {
        disruption = "worker " + rank + " was disrupted: " + PodOps.describe(p);
        continue;
      }
      if (fleet.node(node) == null) {
        disruption = "node " + node + " of worker " + rank + " is gone";
        continue;
      }
      if (p == null && oldAttemptAlive) {
        continue;
      }
      if (p == null) {
        if (workers > 1 && rank == 0) {
          PodOps.createIfAbsent(client, PodFactory.trainingService(job));
        }
        PodOps.createIfAbsent(client, PodFactory.trainingWorker(job, attempt, rank, pool, node, st.getLastCheckpoint()));
        Long seen = movedAfterNotice.remove(key);
        if (seen != null) {
          metrics.timer(SpotterMetrics.NOTICE_TO_RESCHEDULE, "Notice seen to replacement pods created", io.micrometer.core.instrument.Tags.empty())
              .record(Duration.ofNanos(System.nanoTime() - seen));
        }
      } else if (o == PodOutcome.RUNNING) {
        running++;
      }
    }
    Long gen = job.getMetadata().getGeneration();
    if (userFailure != null) {
      st.setRestarts(st.restarts() + 1);
      fleet.release(key);
      if (st.restarts() > job.getSpec().maxRestarts()) {
        String msg = userFailure + "; restart budget of " + job.getSpec().maxRestarts() + " used up";
        finish(job, JobPhase.Failed, Conditions.REASON_RESTART_LIMIT, msg, now);
        Conditions.set(st.getConditions(), Conditions.FAILED, true, Conditions.REASON_RESTART_LIMIT, msg, gen, now);
        events.warning(job, Conditions.REASON_RESTART_LIMIT, msg);
      } else {
        restart(job, Conditions.REASON_WORKER_FAILED, userFailure + "; restart " + st.restarts() + " of " + job.getSpec().maxRestarts(), now);
        events.warning(job, Conditions.REASON_WORKER_FAILED, st.getMessage());
      }
      return writeThenDelete(job, ctx, before, Duration.ofSeconds(1), current.values());
    }
    if (disruption != null) {
      rescues.lose(job, now);
      rescues.moveGang(job, "Preempted", disruption + "; the gang moves to new capacity and resumes from "
          + GangRescue.resumeDescription(st) + " (not counted as a restart)", now, 0L);
      return writeThenDelete(job, ctx, before, Duration.ofSeconds(1), current.values());
    }
    if (running > 0 && running + succeeded == workers) {
      costs.allRunning(job, now);
    }
    boolean newCheckpoint = pollPeriodic(job, current.get(0), running + succeeded == workers, now);
    if (newCheckpoint && succeeded == 0 && CostPolicyFlow.governs(job)) {
      var move = costPolicyMove(job, now);
      if (move != null) {
        moveByCostPolicy(job, move, now);
        return writeThenDelete(job, ctx, before, Duration.ofMillis(200), current.values());
      }
    } else if (newCheckpoint && succeeded == 0 && returnToSpotNow(job, now)) {
      moveBack(job, now);
      return writeThenDelete(job, ctx, before, Duration.ofMillis(200), current.values());
    }
    if (newCheckpoint && succeeded == 0 && !CostPolicyFlow.governs(job) && deadlineClose(job, now)) {
      moveToOnDemand(job, now);
      return writeThenDelete(job, ctx, before, Duration.ofMillis(200), current.values());
    }
    st.setRunningWorkers(running);
    st.setSucceededWorkers(succeeded);
    if (succeeded == workers) {
      finish(job, JobPhase.Succeeded, Conditions.REASON_ALL_WORKERS_SUCCEEDED, "all " + workers + " worker(s) succeeded", now);
      Conditions.set(st.getConditions(), Conditions.COMPLETE, true, Conditions.REASON_ALL_WORKERS_SUCCEEDED, st.getMessage(), gen, now);
      events.normal(job, "Completed", "all " + workers + " worker(s) succeeded in attempt " + attempt);
      return write(job, ctx, before, null);
    }
    boolean allRunning = running + succeeded == workers;
    Conditions.set(st.getConditions(), Conditions.RUNNING, allRunning,
        allRunning ? Conditions.REASON_ALL_WORKERS_RUNNING : Conditions.REASON_WORKERS_STARTING,
        running + " of " + workers + " worker(s) running", gen, now);
    CheckpointSpec cp = job.getSpec().getCheckpoint();
    boolean polls = cp != null && cp.getTrigger() == CheckpointTrigger.Http;
    if (oldAttemptAlive) {
      return write(job, ctx, before, Duration.ofMillis(300));
    }
    return write(job, ctx, before, polls ? fleet.config().checkpointPoll() : null);
  }

  /**
   * A job sent to on-demand by repeated preemptions goes back to spot at a checkpoint boundary:
   * once its cool-down is over, right after a new periodic checkpoint, when spot has room for it.
   */
  private boolean returnToSpotNow(TrainingJob job, Instant now) {
    TrainingJobStatus st = job.getStatus();
    TrainingJobSpec s = job.getSpec();
    // only a job sent to on-demand by repeated preemptions returns, once its cool-down is over:
    // moving back a job that fell back for lack of spot would thrash in a churning zone
    if (s.policy() != dev.spotter.api.CapacityPolicy.SpotPreferred || st.getPlacement().getCapacityType() != CapacityType.OnDemand
        || st.getOnDemandUntil() == null || now.isBefore(Instant.parse(st.getOnDemandUntil()))) {
      return false;
    }
    GangRequest probe = new GangRequest(key(job), job.getMetadata().getNamespace(),
        fleet.namespaceLabels(job.getMetadata().getNamespace()), s.workers(), s.gpusPerWorker(), s.getGpuModel(),
        Accelerators.resolve(s.getGpuResource(), fleet.config().gpuResource()), dev.spotter.api.CapacityPolicy.SpotOnly, now, Duration.ZERO, null, null, null);
    return fleet.wouldPlace(probe) instanceof Decision.Placed;
  }

  /**
   * The cost policy asked at a new checkpoint: where the job should go (spot in another pool, or
   * the other capacity type), or null to stay where it is.
   */
  private dev.spotter.policy.Decision costPolicyMove(TrainingJob job, Instant now) {
    TrainingJobSpec s = job.getSpec();
    Placement pl = job.getStatus().getPlacement();
    GangRequest req = new GangRequest(key(job), job.getMetadata().getNamespace(),
        fleet.namespaceLabels(job.getMetadata().getNamespace()), s.workers(), s.gpusPerWorker(), s.getGpuModel(),
        Accelerators.resolve(s.getGpuResource(), fleet.config().gpuResource()), s.policy(), now, Duration.ZERO, null, null, null);
    var d = fleet.adviseRunning(key(job), req, costs.running(job, pl.getCapacityType(), pl.getPool(), now));
    if (d == null) {
      return null;
    }
    boolean toSpot = d.placement().isSpot()
        && (pl.getCapacityType() == CapacityType.OnDemand || !d.placement().pool().equals(pl.getPool()));
    boolean toOnDemand = pl.getCapacityType() == CapacityType.Spot && d.placement().capacity() == dev.spotter.policy.Capacity.ON_DEMAND;
    return toSpot || toOnDemand ? d : null;
  }

  /** Stops the gang at the checkpoint it just committed, to be admitted again where the cost policy says. */
  private void moveByCostPolicy(TrainingJob job, dev.spotter.policy.Decision move, Instant now) {
    TrainingJobStatus st = job.getStatus();
    boolean toSpot = move.placement().isSpot();
    String reason = toSpot ? "CostPolicyToSpot" : "CostPolicyToOnDemand";
    String msg = "cost policy: " + move.reason() + "; moving " + (toSpot ? "to spot pool " + move.placement().pool() : "to on-demand")
        + " at checkpoint " + st.getLastCheckpoint().getId();
    fleet.release(key(job)); // the old pods go once this is recorded (writeThenDelete)
    restart(job, reason, msg, now);
    metrics.reschedule(toSpot ? "cost_policy_to_spot" : "cost_policy_to_on_demand");
    events.normal(job, reason, msg);
  }

  /** A job on spot whose deadline is within the margin goes to on-demand at its next checkpoint. */
  private boolean deadlineClose(TrainingJob job, Instant now) {
    TrainingJobSpec s = job.getSpec();
    if (s.policy() != dev.spotter.api.CapacityPolicy.SpotPreferred || s.getCapacity() == null || s.getCapacity().getDeadline() == null
        || job.getStatus().getPlacement().getCapacityType() != CapacityType.Spot) {
      return false;
    }
    Instant deadline = OffsetDateTime.parse(s.getCapacity().getDeadline()).toInstant();
    return !now.isBefore(deadline.minus(fleet.config().deadlineMargin()));
  }

  private void moveToOnDemand(TrainingJob job, Instant now) {
    TrainingJobStatus st = job.getStatus();
    String msg = "deadline " + job.getSpec().getCapacity().getDeadline() + " is less than "
        + fleet.config().deadlineMargin().toMinutes() + " min away: moving to on-demand at checkpoint " + st.getLastCheckpoint().getId();
    fleet.release(key(job));
    restart(job, "DeadlineClose", msg, now);
    metrics.fallback("deadline");
    events.warning(job, "DeadlineClose", msg);
  }

  private void moveBack(TrainingJob job, Instant now) {
    TrainingJobStatus st = job.getStatus();
    String msg = "cool-down on on-demand is over and checkpoint " + st.getLastCheckpoint().getId() + " was just committed: moving back to spot and resuming from it";
    st.setOnDemandUntil(null);
    st.setRecentPreemptions(null);
    fleet.release(key(job));
    restart(job, "ReturnToSpot", msg, now);
    metrics.reschedule("return_to_spot");
    events.normal(job, "ReturnToSpot", msg);
  }

  /**
   * Asks rank 0 for its latest periodic checkpoint every checkpointPoll, without blocking.
   *
   * @return true when a newer checkpoint was recorded in this call
   */
  private boolean pollPeriodic(TrainingJob job, Pod rank0, boolean allRunning, Instant now) {
    CheckpointSpec cp = job.getSpec().getCheckpoint();
    String key = key(job);
    boolean recorded = false;
    if (cp == null || cp.getTrigger() != CheckpointTrigger.Http || rank0 == null) {
      return false;
    }
    TrainingJobStatus st = job.getStatus();
    var done = calls.poll(key);
    if (done != null && done.isDone()) {
      Optional<CheckpointReport> r = done.getNow(Optional.empty());
      if (r.isPresent() && (st.getLastCheckpoint() == null || !r.get().id().equals(st.getLastCheckpoint().getId()))
          && !olderThanRecorded(r.get(), st.getLastCheckpoint())) {
        CheckpointRef ref = new CheckpointRef();
        ref.setId(r.get().id());
        ref.setStep(r.get().step());
        ref.setTime((r.get().time() == null ? now : r.get().time()).toString());
        ref.setSource("Periodic");
        ref.setAttempt(st.getAttempt());
        st.setLastCheckpoint(ref);
        costs.checkpointed(job, Instant.parse(ref.getTime()));
        recorded = true;
      }
      calls.forgetJobPoll(key);
    }
    long nowMs = fleet.clock().millis();
    if (allRunning && (done == null || done.isDone())
        && nowMs - calls.lastPollMillis(key) >= fleet.config().checkpointPoll().toMillis()) {
      var f = checkpoints.latest(rank0, cp);
      calls.polling(key, f, nowMs);
      f.whenComplete((ok, err) -> wake(job));
    }
    return recorded;
  }

  /**
   * A report of an earlier step than the checkpoint recorded is never recorded over it: the
   * previous attempt's gang may have written newer checkpoints until its pods were gone, and the
   * new attempt, resumed from the recorded one, reports its own older steps for a while.
   */
  static boolean olderThanRecorded(CheckpointReport report, CheckpointRef recorded) {
    return recorded != null && recorded.getStep() != null && report.step() != null && report.step() < recorded.getStep();
  }

  static UpdateControl<TrainingJob> requeueAt(Instant at, Instant now) {
    return UpdateControl.<TrainingJob>noUpdate().rescheduleAfter(until(at, now));
  }

  static Duration until(Instant at, Instant now) {
    Duration d = Duration.between(now, at).plusMillis(20);
    return d.isNegative() ? Duration.ofMillis(20) : d;
  }

  void restart(TrainingJob job, String reason, String message, Instant now) {
    TrainingJobStatus st = job.getStatus();
    CostPolicyFlow.stopped(st);
    st.setPlacement(null);
    st.setPhase(JobPhase.Restarting);
    st.setReason(reason);
    st.setMessage(message);
    st.setPendingSince(now.toString());
    st.setRunningWorkers(0);
    Conditions.set(st.getConditions(), Conditions.RUNNING, false, reason, message, job.getMetadata().getGeneration(), now);
    Conditions.set(st.getConditions(), Conditions.ADMITTED, false, reason, message, job.getMetadata().getGeneration(), now);
  }

  private void finish(TrainingJob job, JobPhase phase, String reason, String message, Instant now) {
    TrainingJobStatus st = job.getStatus();
    CostPolicyFlow.stopped(st);
    st.setPhase(phase);
    st.setReason(reason);
    st.setMessage(message);
    st.setCompletedAt(now.toString());
    st.setRunningWorkers(0);
    Conditions.set(st.getConditions(), Conditions.RUNNING, false, reason, message, job.getMetadata().getGeneration(), now);
    fleet.release(key(job));
  }

  /** A checkpoint taken at {@code at} was committed (by a notice or periodically): the cost policy's work count. */
  void checkpointed(TrainingJob job, Instant at) {
    costs.checkpointed(job, at);
  }

  TrainingJob recordIntent(TrainingJob job, Context<TrainingJob> ctx) {
    return StatusWrites.record(job, ctx);
  }

  UpdateControl<TrainingJob> write(TrainingJob job, Context<TrainingJob> ctx, String before, Duration requeue) {
    return StatusWrites.writeIfChanged(job, job.getStatus(), ctx, before, requeue);
  }

  /**
   * Records a decision that retires pods (a restart, a move), then deletes them: status is the
   * write-ahead log. A crash or a lost optimistic lock in between leaves the pods to the next
   * reconcile, which finds them of an older attempt (or the job waiting) and deletes them; a pod
   * is never deleted for a decision that was not recorded.
   */
  UpdateControl<TrainingJob> writeThenDelete(TrainingJob job, Context<TrainingJob> ctx, String before, Duration requeue,
      java.util.Collection<Pod> retired) {
    UpdateControl<TrainingJob> c = write(job, ctx, before, requeue);
    PodOps.deleteLive(ctx.getClient(), new ArrayList<>(retired));
    return c;
  }

}
