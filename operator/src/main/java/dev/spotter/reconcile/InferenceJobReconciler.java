package dev.spotter.reconcile;

import dev.spotter.api.Api;
import dev.spotter.api.CapacityType;
import dev.spotter.api.Conditions;
import dev.spotter.api.InferenceJob;
import dev.spotter.api.InferenceJobSpec;
import dev.spotter.api.InferenceJobStatus;
import dev.spotter.api.ReplicaPlacement;
import dev.spotter.fleet.Fleet;
import dev.spotter.metrics.SpotterMetrics;
import dev.spotter.preemption.JobKind;
import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeAction;
import dev.spotter.preemption.NoticeActionPolicy;
import dev.spotter.scheduling.Accelerators;
import dev.spotter.scheduling.Allocations;
import dev.spotter.scheduling.Decision;
import dev.spotter.scheduling.PoolInfo;
import dev.spotter.scheduling.ReplicaPlanner;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs an InferenceJob: keeps N replicas placed with the on-demand base and the spot share,
 * recording each replica's placement in status before its pod is created.
 */
@ControllerConfiguration(name = "inferencejob")
public class InferenceJobReconciler implements Reconciler<InferenceJob>, JobController {
  public static final String KIND = "InferenceJob";

  private final Fleet fleet;
  private final EventRecorder events;
  private SimpleInboundEventSource<InferenceJob> wakeups;
  private volatile InformerEventSource<Pod, InferenceJob> podSource;
  private volatile io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache<InferenceJob> primaries;

  private final SpotterMetrics metrics;

  public InferenceJobReconciler(Fleet fleet, EventRecorder events, SpotterMetrics metrics) {
    this.fleet = fleet;
    this.events = events;
    this.metrics = metrics;
  }

  public static String key(InferenceJob job) {
    return KIND + "/" + job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }

  @Override
  public List<EventSource<?, InferenceJob>> prepareEventSources(EventSourceContext<InferenceJob> ctx) {
    var pods = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, InferenceJob.class)
            .withLabelSelector(Api.LABEL_KIND + "=" + KIND)
            .withNamespacesInheritedFromController()
            .build(),
        ctx);
    podSource = pods;
    primaries = ctx.getPrimaryCache();
    wakeups = new SimpleInboundEventSource<>("inferencejob-wakeups");
    fleet.onWake(KIND, key -> {
      String[] p = key.split("/", 3);
      wakeups.propagateEvent(new ResourceID(p[2], p[1]));
    });
    return List.of(pods, wakeups);
  }

  /** Pod name of a replica on a node: a replica that moves gets a new pod beside the old one. */
  public static String podName(InferenceJob job, ReplicaPlacement rp) {
    return PodFactory.replicaPodName(job, rp.getIndex()) + "-" + Integer.toHexString(rp.getNode().hashCode() & 0xfffff);
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
      String phase = st == null || st.getPhase() == null ? "Pending" : st.getPhase();
      String waiting = st != null && st.getReason() != null
          && java.util.Set.of("InsufficientCapacity", "PoolNotPermitted", "NoMatchingPool", "InvalidSpec").contains(st.getReason())
          ? st.getReason() : null;
      return new JobPhaseView(j.getMetadata().getNamespace(), phase, waiting);
    });
  }

  @Override
  public java.util.stream.Stream<Pod> pods() {
    return podSource == null ? java.util.stream.Stream.empty() : podSource.list(p -> true);
  }

  @Override
  public UpdateControl<InferenceJob> reconcile(InferenceJob job, Context<InferenceJob> ctx) {
    return metrics.timedReconcile("inferencejob", () -> doReconcile(job, ctx));
  }

  private UpdateControl<InferenceJob> doReconcile(InferenceJob job, Context<InferenceJob> ctx) {
    String key = key(job);
    InferenceJobStatus st = job.getStatus() == null ? new InferenceJobStatus() : job.getStatus();
    job.setStatus(st);
    String before = Serialization.asJson(st);
    Instant now = fleet.clock().instant();
    Long gen = job.getMetadata().getGeneration();
    KubernetesClient client = ctx.getClient();
    List<Pod> pods = new ArrayList<>(ctx.getSecondaryResources(Pod.class));

    List<String> errors = SpecChecks.inference(job.getSpec());
    if (!errors.isEmpty()) {
      String msg = String.join("; ", errors);
      if (Conditions.set(st.getConditions(), Conditions.VALID, false, Conditions.REASON_INVALID_SPEC, msg, gen, now)) {
        events.warning(job, Conditions.REASON_INVALID_SPEC, msg);
      }
      st.setReason(Conditions.REASON_INVALID_SPEC);
      st.setMessage(msg);
      if (st.getPhase() == null) {
        st.setPhase("Pending");
      }
      return write(job, ctx, before, null);
    }
    Conditions.set(st.getConditions(), Conditions.VALID, true, "SpecValid", "the spec passed every check", gen, now);
    st.setObservedGeneration(gen);
    InferenceJobSpec spec = job.getSpec();
    int n = spec.replicas();

    Map<String, Pod> byName = new HashMap<>();
    pods.forEach(p -> byName.put(p.getMetadata().getName(), p));
    List<ReplicaPlacement> kept = new ArrayList<>();
    List<Integer> surge = new ArrayList<>();
    for (ReplicaPlacement rp : st.getReplicaPlacements()) {
      String rkey = Fleet.replicaKey(key, rp.getIndex(), rp.getNode());
      if (rp.getIndex() >= n) {
        fleet.release(rkey);
      } else if (fleet.node(rp.getNode()) == null) {
        fleet.release(rkey);
        if (!rp.retiring()) {
          st.setPreemptions((st.getPreemptions() == null ? 0 : st.getPreemptions()) + 1);
          metrics.reschedule("node_gone");
          events.warning(job, "ReplicaLost", "replica " + rp.getIndex() + " lost node " + rp.getNode() + "; placing it again");
        }
      } else {
        fleet.restore(rkey, new Allocations.Holding(rp.getPool(), rp.getCapacityType(), List.of(rp.getNode()), spec.gpusPerReplica()));
        Notice notice = rp.retiring() ? null : fleet.noticeOn(rp.getNode());
        if (notice != null) {
          NoticeAction a = NoticeActionPolicy.actionFor(notice, JobKind.Inference, now);
          if (a == NoticeAction.SurgeReplace || a == NoticeAction.Replace) {
            // start the replacement first; the doomed replica serves until the new one runs or its node goes
            rp.setRetiring(true);
            surge.add(rp.getIndex());
            st.setPreemptions((st.getPreemptions() == null ? 0 : st.getPreemptions()) + 1);
            metrics.notice(notice.source().tag(), notice.kind().name());
            events.warning(job, "PreemptionNotice", notice.kind() + " notice from " + notice.source().tag() + " on node "
                + rp.getNode() + ": starting a replacement for replica " + rp.getIndex() + " before it goes at " + notice.deadline());
          }
        }
        kept.add(rp);
      }
    }
    // a retiring replica goes once its replacement runs
    List<ReplicaPlacement> retired = new ArrayList<>();
    final InferenceJob self = job;
    for (ReplicaPlacement old : kept) {
      if (!old.retiring()) {
        continue;
      }
      boolean replacementRuns = kept.stream().anyMatch(r -> !r.retiring() && r.getIndex().equals(old.getIndex())
          && byName.get(podName(self, r)) != null && PodOutcome.of(byName.get(podName(self, r))) == PodOutcome.RUNNING);
      if (replacementRuns) {
        retired.add(old);
        fleet.release(Fleet.replicaKey(key, old.getIndex(), old.getNode()));
        metrics.reschedule("notice");
        events.normal(job, "Rescheduled", "replica " + old.getIndex() + " now serves from node "
            + kept.stream().filter(r -> !r.retiring() && r.getIndex().equals(old.getIndex())).findFirst().get().getNode()
            + "; the replica on " + old.getNode() + " is removed");
      }
    }
    kept.removeAll(retired);
    Set<Integer> placed = kept.stream().filter(r -> !r.retiring()).map(ReplicaPlacement::getIndex).collect(Collectors.toSet());
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!placed.contains(i)) {
        missing.add(i);
      }
    }
    String waitMessage = null;
    String waitReason = null;
    if (!missing.isEmpty()) {
      var req = new ReplicaPlanner.Request(key, job.getMetadata().getNamespace(),
          fleet.namespaceLabels(job.getMetadata().getNamespace()), spec.gpusPerReplica(), spec.getGpuModel(),
          Accelerators.resolve(spec.getGpuResource(), fleet.config().gpuResource()));
      var existing = kept.stream().filter(rp -> !rp.retiring())
          .map(rp -> new ReplicaPlanner.Existing(rp.getIndex(), rp.getCapacityType(), rp.getZone())).toList();
      for (var rd : fleet.admitReplicas(KIND, key, req, n, spec.onDemandBase(), spec.spotPercent(), existing, missing)) {
        if (rd.decision() instanceof Decision.Placed p) {
          PoolInfo pool = p.pool();
          kept.add(new ReplicaPlacement(rd.index(), pool.name(), pool.capacityType(), pool.zone(), p.nodes().get(0), pool.pricePerGpuHour()));
          metrics.admitted(pool.capacityType().name());
        } else if (rd.decision() instanceof Decision.Wait w) {
          waitMessage = w.message();
          waitReason = w.reason().name();
        }
      }
    }
    kept.sort(Comparator.comparing(ReplicaPlacement::getIndex));
    st.setReplicaPlacements(kept);
    List<ReplicaPlacement> serving = kept.stream().filter(r -> !r.retiring()).toList();
    int spot = (int) serving.stream().filter(r -> r.getCapacityType() == CapacityType.Spot).count();
    st.setReplicas(serving.size());
    st.setSpotReplicas(spot);
    st.setOnDemandReplicas(serving.size() - spot);
    if (!before.equals(Serialization.asJson(st))) {
      job = StatusWrites.record(job, ctx);
      st = job.getStatus();
      before = Serialization.asJson(st);
    }

    // act: one pod per placement (a retiring replica keeps its pod until its replacement runs)
    Set<String> desired = new HashSet<>();
    int ready = 0;
    boolean created = false;
    for (ReplicaPlacement rp : kept) {
      String name = podName(job, rp);
      desired.add(name);
      Pod p = byName.get(name);
      PoolInfo pool = fleet.catalog().pools().get(rp.getPool());
      if (p == null && pool != null) {
        Pod pod = PodFactory.inferenceReplica(job, rp.getIndex(), 0, pool, rp.getNode());
        pod.getMetadata().setName(name);
        PodOps.createIfAbsent(client, pod);
        created = true;
      } else if (p != null && PodOutcome.of(p) == PodOutcome.RUNNING && !rp.retiring()) {
        ready++;
      } else if (p != null && (PodOutcome.of(p) == PodOutcome.USER_FAILURE || PodOutcome.of(p) == PodOutcome.DISRUPTED)) {
        client.pods().inNamespace(p.getMetadata().getNamespace()).withName(name).delete();
      }
    }
    if (created) {
      PodOps.createIfAbsent(client, PodFactory.inferenceService(job));
    }
    for (Pod p : pods) {
      if (!desired.contains(p.getMetadata().getName())) {
        PodOps.deleteLive(client, List.of(p));
      }
    }
    st.setReadyReplicas(ready);
    String phase = serving.isEmpty() && n > 0 ? "Pending" : ready == n ? "Running" : "Progressing";
    st.setPhase(phase);
    if (waitMessage != null) {
      st.setReason(waitReason);
      st.setMessage((n - serving.size()) + " replica(s) wait: " + waitMessage);
    } else {
      st.setReason(ready == n ? "AllReplicasReady" : "ReplicasStarting");
      st.setMessage(ready + " of " + n + " replica(s) ready: " + spot + " on spot, " + (serving.size() - spot) + " on on-demand");
    }
    Conditions.set(st.getConditions(), Conditions.READY, ready == n, st.getReason(), st.getMessage(), gen, now);
    if (waitReason != null && !waitReason.equals(Conditions.find(st.getConditions(), Conditions.ADMITTED).map(c -> c.getReason()).orElse(null))) {
      events.warning(job, waitReason, st.getMessage());
    }
    Conditions.set(st.getConditions(), Conditions.ADMITTED, waitReason == null, waitReason == null ? Conditions.REASON_PLACED : waitReason,
        waitReason == null ? "every replica has a placement" : st.getMessage(), gen, now);
    return write(job, ctx, before, waitReason != null ? fleet.config().pendingRecheck() : null);
  }

  private UpdateControl<InferenceJob> write(InferenceJob job, Context<InferenceJob> ctx, String before, Duration requeue) {
    return StatusWrites.writeIfChanged(job, job.getStatus(), ctx, before, requeue);
  }
}
