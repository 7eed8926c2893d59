package dev.spotter.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spotter.api.CapacityType;
import dev.spotter.api.CheckpointSpec;
import dev.spotter.api.CheckpointTrigger;
import dev.spotter.api.TrainingJob;
import dev.spotter.api.TrainingJobStatus;
import dev.spotter.api.WorkProgress;
import dev.spotter.config.SpotterConfig;
import dev.spotter.policy.AvailabilityHistory;
import dev.spotter.policy.Capacity;
import dev.spotter.policy.JobSituation;
import dev.spotter.policy.Placement;
import dev.spotter.policy.SpotterPolicy;
import dev.spotter.scheduling.CostAdvisor;
import dev.spotter.scheduling.GangRequest;
import dev.spotter.scheduling.NodeInfo;
import dev.spotter.scheduling.PoolInfo;
import dev.spotter.scheduling.Snapshot;
import dev.spotter.sim.CblModel;
import dev.spotter.sim.CblSimulator;
import dev.spotter.sim.Place;
import dev.spotter.sim.PolicyResult;
import dev.spotter.sim.SimJob;
import dev.spotter.sim.RecordingPolicy;
import dev.spotter.sim.SpotterSimPolicy;
import dev.spotter.sim.TickJob;
import dev.spotter.sim.Trace;
import dev.spotter.sim.TraceSet;
import dev.spotter.testing.TrainingJobs;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator and the simulator decide alike: replaying a real trace, at every tick the simulator
 * asked Spotter's policy, a TrainingJob in the same state (its spec and {@code status.progress})
 * gives the operator the same {@link JobSituation}, and the operator's decision path ({@link
 * CostAdvisor} over a fleet snapshot and per-pool availability histories fed from its nodes)
 * gives the same decision the simulator acted on.
 */
class OperatorMatchesSimulatorTest {
  private static final SpotterConfig CONFIG = SpotterConfig.defaults();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"us-east4-a", "us-west1-b", "all"})
  void sameJobStateGivesTheSameSituationAndTheSameDecision(String zone) {
    TraceSet set = RecordingPolicy.bundled("gcp-h100-2025", zone);
    SimJob simJob = SimJob.cbl("finetune", 24, 40, 30);
    RecordingPolicy recording = new RecordingPolicy();
    PolicyResult r = new CblSimulator().run(List.of(simJob), set, recording);
    List<RecordingPolicy.Step> seen = recording.steps();
    assertThat(r.deadlineMisses()).isZero();
    assertThat(seen).hasSizeGreaterThan(100);

    long g = set.gapSeconds();
    Instant epoch = set.get(0).start();
    TickJob tj = CblModel.toTicks(0, simJob, set);
    TrainingJob job = trainingJob(tj, g, epoch);
    CostPolicyFlow flow = new CostPolicyFlow(CONFIG);
    SpotterPolicy policy = new SpotterPolicy(Duration.ofSeconds(g));
    Map<String, AvailabilityHistory> histories = new HashMap<>();
    GangRequest request = new GangRequest("TrainingJob/ml/finetune", "ml", Map.of(), 1, 8, null, "nvidia.com/gpu",
        dev.spotter.api.CapacityPolicy.SpotPreferred, epoch, Duration.ZERO, null, null, null);
    int next = 0;
    int moves = 0;
    for (int t = 0; next < seen.size(); t++) {
      Instant now = epoch.plusSeconds(g * t);
      Snapshot fleet = operatorSnapshot(set, t);
      // the operator samples each spot pool from its nodes: usable capacity or not
      for (PoolInfo p : fleet.pools()) {
        if (p.capacityType() == CapacityType.Spot) {
          histories.computeIfAbsent(p.name(), n -> new AvailabilityHistory()).observe(now, fleet.usableGpus(p.name()) > 0);
        }
      }
      RecordingPolicy.Step s = seen.get(next);
      if (s.tick() != t) continue;
      next++;
      setProgress(job.getStatus(), g * s.progress(), s.place() == Place.IDLE ? null : now.plusSeconds(g * s.overheadLeft()));
      JobSituation operator = s.place() == Place.IDLE ? flow.admitting(job, now)
          : s.place() == Place.ON_DEMAND ? flow.running(job, CapacityType.OnDemand, "on-demand", now)
          : flow.running(job, CapacityType.Spot, set.get(s.place()).name(), now);
      Placement current = s.place() == Place.IDLE ? Placement.IDLE : s.place() == Place.ON_DEMAND ? Placement.ON_DEMAND
          : Placement.spot(set.get(s.place()).name());
      JobSituation simulator = SpotterSimPolicy.inputs(tj, g, epoch)
          .situation(Duration.ofSeconds(g * s.progress()), Duration.ofSeconds(g * s.overheadLeft()), current, now);
      assertThat(operator).as("situation at tick %d", t).isEqualTo(simulator);

      var d = CostAdvisor.advise(fleet, request, operator, histories::get, policy);
      int decided = d.placement().capacity() == Capacity.IDLE ? Place.IDLE
          : d.placement().capacity() == Capacity.ON_DEMAND ? Place.ON_DEMAND : indexOf(set, d.placement().pool());
      assertThat(decided).as("decision at tick %d", t).isEqualTo(s.decision());
      if (s.decision() != s.place()) moves++;
    }
    assertThat(moves).as("the replay starts, and on these traces moves, the job").isGreaterThanOrEqualTo(1);
  }

  /** The TrainingJob a user would write for the simulated job, with its arrival already recorded. */
  private static TrainingJob trainingJob(TickJob tj, long g, Instant epoch) {
    TrainingJob job = TrainingJobs.named("finetune").namespace("ml").gpus(8).build();
    job.getSpec().getCapacity().setDeadline(epoch.plusSeconds(g * tj.deadline()).toString());
    job.getSpec().getCapacity().setExpectedDuration((g * tj.work()) + "s");
    job.getSpec().getCapacity().setRestartOverheadSeconds((int) (g * tj.restart()));
    CheckpointSpec cp = new CheckpointSpec();
    cp.setTrigger(CheckpointTrigger.Http);
    cp.setPort(8090);
    cp.setTimeoutSeconds(20); // the simulated job's final checkpoint takes 20 s: it fits every notice
    job.getSpec().setCheckpoint(cp);
    TrainingJobStatus st = new TrainingJobStatus();
    WorkProgress p = new WorkProgress();
    p.setArrivedAt(epoch.plusSeconds(g * tj.arrival()).toString());
    st.setProgress(p);
    job.setStatus(st);
    return job;
  }

  private static void setProgress(TrainingJobStatus st, long committedSeconds, Instant countingSince) {
    st.getProgress().setCommittedSeconds(committedSeconds);
    st.getProgress().setCountingSince(countingSince == null ? null : countingSince.toString());
  }

  /** The fleet as the operator's informers would show it: a spot pool per zone, nodes only while it has spot. */
  private static Snapshot operatorSnapshot(TraceSet set, int tick) {
    Map<String, PoolInfo> pools = new LinkedHashMap<>();
    Map<String, List<NodeInfo>> nodes = new LinkedHashMap<>();
    for (int z = 0; z < set.size(); z++) {
      Trace tr = set.get(z);
      pools.put(tr.name(), new PoolInfo(tr.name(), CapacityType.Spot, tr.name(), null, "nvidia.com/gpu",
          tr.spotPrice(tick) / tr.gpusPerMachine(), Map.of(), null, List.of(), false));
      nodes.put(tr.name(), tr.usable(tick, 1) ? List.of(new NodeInfo(tr.name() + "-0", tr.name(), 8, 0, true)) : List.of());
    }
    pools.put("on-demand", new PoolInfo("on-demand", CapacityType.OnDemand, "any", null, "nvidia.com/gpu",
        set.onDemandPricePerGpuHour(), Map.of(), null, List.of(), false));
    nodes.put("on-demand", List.of(new NodeInfo("od-0", "on-demand", 8, 0, true)));
    return new Snapshot(pools, nodes, 0, 0);
  }

  private static int indexOf(TraceSet set, String name) {
    for (int z = 0; z < set.size(); z++) if (set.get(z).name().equals(name)) return z;
    return -99;
  }
}
