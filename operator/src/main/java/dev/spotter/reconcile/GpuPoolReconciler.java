package dev.spotter.reconcile;

import dev.spotter.api.Conditions;
import dev.spotter.api.GpuPool;
import dev.spotter.api.GpuPoolStatus;
import dev.spotter.fleet.Fleet;
import dev.spotter.fleet.PoolCatalog;
import dev.spotter.scheduling.PoolInfo;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Reports what each declared pool holds: its capacity type, nodes and GPUs (polled). */
@ControllerConfiguration(name = "gpupool")
public class GpuPoolReconciler implements Reconciler<GpuPool> {
  private final Fleet fleet;
  private final EventRecorder events;
  private final Duration interval;

  public GpuPoolReconciler(Fleet fleet, EventRecorder events, Duration interval) {
    this.fleet = fleet;
    this.events = events;
    this.interval = interval;
  }

  @Override
  public UpdateControl<GpuPool> reconcile(GpuPool pool, Context<GpuPool> ctx) {
    GpuPoolStatus st = pool.getStatus() == null ? new GpuPoolStatus() : pool.getStatus();
    pool.setStatus(st);
    String before = Serialization.asJson(st);
    Instant now = fleet.clock().instant();
    Long gen = pool.getMetadata().getGeneration();
    PoolCatalog.Catalog c = fleet.catalog();
    PoolInfo info = c.pools().get(pool.getMetadata().getName());
    List<PoolCatalog.GpuNode> nodes = c.nodesOf(pool.getMetadata().getName());
    int ready = (int) nodes.stream().filter(PoolCatalog.GpuNode::usable).count();
    st.setCapacityType(info == null ? null : info.capacityType());
    st.setNodes(nodes.size());
    st.setReadyNodes(ready);
    st.setTotalGpus(nodes.stream().filter(PoolCatalog.GpuNode::usable).mapToInt(PoolCatalog.GpuNode::allocatableGpus).sum());
    st.setAllocatedGpus(fleet.allocatedByPool().getOrDefault(pool.getMetadata().getName(), 0));
    st.setObservedGeneration(gen);
    boolean ok = ready > 0;
    String msg = ok ? ready + " of " + nodes.size() + " node(s) ready with " + st.getTotalGpus() + " GPU(s)"
        : nodes.isEmpty() ? "no node matches nodeSelector " + pool.getSpec().getNodeSelector()
        : "none of the " + nodes.size() + " node(s) can take work";
    boolean flipped = Conditions.set(st.getConditions(), Conditions.READY, ok, ok ? "NodesReady" : nodes.isEmpty() ? "NoNodes" : "NoReadyNodes", msg, gen, now);
    if (flipped && !ok) {
      events.warning(pool, nodes.isEmpty() ? "NoNodes" : "NoReadyNodes", msg);
    }
    return StatusWrites.writeIfChanged(pool, st, ctx, before, interval);
  }
}
