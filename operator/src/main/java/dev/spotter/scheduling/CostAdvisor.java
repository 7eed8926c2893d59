package dev.spotter.scheduling;

import dev.spotter.api.CapacityType;
import dev.spotter.policy.AvailabilityHistory;
import dev.spotter.policy.JobSituation;
import dev.spotter.policy.PoolView;
import dev.spotter.policy.SpotterPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Asks Spotter's cost policy ({@link SpotterPolicy}) where a gang should run, from a fleet
 * {@link Snapshot}: the spot pools the job may use become the policy's pools (with their observed
 * availability), the cheapest on-demand pool it may use gives the on-demand price. The operator
 * and the simulator both call this, then {@link GangPlacer} with the answer. Pure.
 */
public final class CostAdvisor {
  private CostAdvisor() {}

  /**
   * The policy's decision, or null when the policy has no choice to make: no spot pool or no
   * on-demand pool is open to the job.
   *
   * @param histories each spot pool's availability so far, by pool name
   */
  public static dev.spotter.policy.Decision advise(Snapshot snapshot, GangRequest req, JobSituation job,
      Function<String, AvailabilityHistory> histories, SpotterPolicy policy) {
    List<PoolInfo> usable = GangPlacer.usablePools(snapshot, req);
    double onDemand = Double.NaN;
    List<PoolView> spot = new ArrayList<>();
    for (PoolInfo p : usable) {
      if (p.capacityType() == CapacityType.OnDemand) {
        if (Double.isNaN(onDemand) || p.pricePerGpuHour() < onDemand) onDemand = p.pricePerGpuHour();
      } else {
        int free = GangPlacer.fits(snapshot, p, req) ? PoolView.UNCOUNTED : 0;
        spot.add(new PoolView(p.name(), free, p.pricePerGpuHour(), histories.apply(p.name())));
      }
    }
    if (spot.isEmpty() || Double.isNaN(onDemand)) return null;
    return policy.decide(job, spot, onDemand);
  }
}
