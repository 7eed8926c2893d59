package dev.spotter.demo;

import dev.spotter.api.Api;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * GPU-hours and dollars from the lifetimes of Spotter's pods, in simulated time: a pod holds its
 * GPUs from the moment it runs until it stops, at its pool's price. The all-on-demand comparison
 * prices the same GPU-hours at the on-demand price.
 */
public final class GpuHourMeter implements WorkloadRunner {
  /** Totals up to a moment. */
  public record Totals(double spotGpuHours, double onDemandGpuHours, double cost, double onDemandCost,
      int spotGpusNow, int onDemandGpusNow) {
    public double gpuHours() {
      return spotGpuHours + onDemandGpuHours;
    }

    /** Share of GPU-hours on spot, 0 before anything ran. */
    public double spotShare() {
      return gpuHours() == 0 ? 0 : spotGpuHours / gpuHours();
    }

    /** Percent saved against running the same GPU-hours on on-demand. */
    public double savingsPct() {
      return onDemandCost == 0 ? 0 : 100 * (1 - cost / onDemandCost);
    }
  }

  private record Open(Instant since, int gpus, boolean spot, double price) {}

  private final Clock clock;
  private final Map<String, Double> poolPrices;
  private final double onDemandPrice;
  private final String gpuResource;
  private final Map<String, Open> open = new HashMap<>();
  private double spotHours;
  private double onDemandHours;
  private double cost;
  private double onDemandCost;

  /**
   * @param poolPrices price of a GPU-hour by pool name
   * @param onDemandPrice price of an on-demand GPU-hour, for the comparison
   */
  public GpuHourMeter(Clock clock, Map<String, Double> poolPrices, double onDemandPrice, String gpuResource) {
    this.clock = clock;
    this.poolPrices = Map.copyOf(poolPrices);
    this.onDemandPrice = onDemandPrice;
    this.gpuResource = gpuResource;
  }

  @Override
  public void started(Pod pod) {
    Map<String, String> labels = pod.getMetadata().getLabels();
    if (labels == null) {
      return;
    }
    int gpus = gpus(pod);
    boolean spot = "spot".equals(labels.get(Api.LABEL_CAPACITY_TYPE));
    double price = poolPrices.getOrDefault(labels.get(Api.LABEL_POOL), onDemandPrice);
    synchronized (this) {
      open.putIfAbsent(key(pod), new Open(clock.instant(), gpus, spot, price));
    }
  }

  @Override
  public void stopped(Pod pod, boolean graceful) {
    synchronized (this) {
      Open o = open.remove(key(pod));
      if (o != null) {
        close(o, clock.instant());
      }
    }
  }

  public synchronized Totals totals() {
    Instant now = clock.instant();
    double sh = spotHours;
    double oh = onDemandHours;
    double c = cost;
    double odc = onDemandCost;
    int spotNow = 0;
    int odNow = 0;
    for (Open o : open.values()) {
      double gh = o.gpus * hours(o.since, now);
      if (o.spot) {
        sh += gh;
        spotNow += o.gpus;
      } else {
        oh += gh;
        odNow += o.gpus;
      }
      c += gh * o.price;
      odc += gh * onDemandPrice;
    }
    return new Totals(sh, oh, c, odc, spotNow, odNow);
  }

  private void close(Open o, Instant end) {
    double gh = o.gpus * hours(o.since, end);
    if (o.spot) {
      spotHours += gh;
    } else {
      onDemandHours += gh;
    }
    cost += gh * o.price;
    onDemandCost += gh * onDemandPrice;
  }

  private int gpus(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getContainers().isEmpty()) {
      return 0;
    }
    var res = pod.getSpec().getContainers().get(0).getResources();
    Quantity q = res == null || res.getLimits() == null ? null : res.getLimits().get(gpuResource);
    return q == null ? 0 : q.getNumericalAmount().intValue();
  }

  private static double hours(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis()) / 3_600_000.0;
  }

  private static String key(Pod p) {
    return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
  }
}
