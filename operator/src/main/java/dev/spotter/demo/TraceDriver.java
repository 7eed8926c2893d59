package dev.spotter.demo;

import dev.spotter.sim.Trace;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Plays spot traces onto pools of simulated nodes, as a cloud would: each spot pool follows one
 * zone's trace, tick by tick. When the trace takes capacity away, nodes get a notice and go away
 * when the notice window ends; when capacity comes back, new nodes (new names) join. Pure: it only
 * says what happens ({@link NodeEvent}s), on the time of an injected clock; {@link ClusterNodes}
 * applies it to an API server.
 */
public final class TraceDriver {
  /** A spot pool: its name, zone, the trace it follows and how many nodes it has when spot is there. */
  public record SpotPool(String name, String zone, Trace trace, int nodes) {
    public SpotPool {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(trace, "trace");
      if (nodes < 1) {
        throw new IllegalArgumentException("a spot pool needs at least one node, got " + nodes);
      }
    }
  }

  /** Something that happens to a node. */
  public sealed interface NodeEvent permits Added, Noticed, Removed {
    String node();

    String pool();

    Instant at();
  }

  /** A node joined the pool. */
  public record Added(String node, String pool, String zone, Instant at) implements NodeEvent {}

  /** The cloud will take the node back at {@code deadline}. */
  public record Noticed(String node, String pool, Instant at, Instant deadline) implements NodeEvent {}

  /** The node is gone. */
  public record Removed(String node, String pool, Instant at) implements NodeEvent {}

  /** One pool as it stands: spot there in the current tick, nodes up, nodes under notice. */
  public record PoolView(String name, String zone, boolean available, int nodes, int noticed) {}

  private final List<PoolState> pools = new ArrayList<>();
  private final Instant origin;
  private final int startTick;
  private final Duration window;
  private final Clock clock;
  private Instant last;
  private int notices;
  private int added;
  private int removed;

  /**
   * @param origin simulated time of the start of {@code startTick}
   * @param noticeWindow how long a node lives after its notice
   */
  public TraceDriver(List<SpotPool> pools, int startTick, Instant origin, Duration noticeWindow, Clock clock) {
    if (pools.isEmpty()) {
      throw new IllegalArgumentException("the trace driver needs at least one spot pool");
    }
    long gap = pools.get(0).trace().gapSeconds();
    for (SpotPool p : pools) {
      if (p.trace().gapSeconds() != gap) {
        throw new IllegalArgumentException("traces disagree on their tick: " + p.name() + " has " + p.trace().gapSeconds() + " s");
      }
      this.pools.add(new PoolState(p));
    }
    if (noticeWindow.isNegative() || noticeWindow.isZero()) {
      throw new IllegalArgumentException("the notice window must be positive, got " + noticeWindow);
    }
    this.startTick = startTick;
    this.origin = origin;
    this.window = noticeWindow;
    this.clock = clock;
  }

  public Duration noticeWindow() {
    return window;
  }

  /** Length of one trace tick. */
  public Duration tick() {
    return Duration.ofSeconds(pools.get(0).spec.trace().gapSeconds());
  }

  /** The trace tick the clock is in. */
  public synchronized int currentTick() {
    return tickAt(clock.instant());
  }

  /**
   * Everything that happened since the last call, in time order. The first call brings up the
   * nodes of every pool that has spot at that time.
   */
  public synchronized List<NodeEvent> advance() {
    Instant now = clock.instant();
    List<NodeEvent> out = new ArrayList<>();
    if (last == null) {
      applyTick(tickAt(now), now, out);
      last = now;
      return out;
    }
    if (!now.isAfter(last)) {
      return out;
    }
    long gapMillis = tick().toMillis();
    long fromK = Math.floorDiv(Duration.between(origin, last).toMillis(), gapMillis) + 1;
    long toK = Math.floorDiv(Duration.between(origin, now).toMillis(), gapMillis);
    for (long k = fromK; k <= toK; k++) {
      Instant boundary = origin.plusMillis(k * gapMillis);
      removeDue(boundary, out);
      applyTick((int) (startTick + k), boundary, out);
    }
    removeDue(now, out);
    last = now;
    return out;
  }

  /** Pools as they stand, for the live view. */
  public synchronized List<PoolView> view() {
    int t = last == null ? startTick : tickAt(last);
    return pools.stream()
        .map(p -> new PoolView(p.spec.name(), p.spec.zone(), machines(p.spec.trace(), t) > 0, p.up.size(), p.noticed.size()))
        .toList();
  }

  /** Nodes that got a notice so far. */
  public synchronized int notices() {
    return notices;
  }

  public synchronized int nodesAdded() {
    return added;
  }

  public synchronized int nodesRemoved() {
    return removed;
  }

  private int tickAt(Instant t) {
    return (int) (startTick + Math.floorDiv(Duration.between(origin, t).toMillis(), tick().toMillis()));
  }

  private void applyTick(int t, Instant at, List<NodeEvent> out) {
    for (PoolState p : pools) {
      int desired = Math.min(p.spec.nodes(), machines(p.spec.trace(), t));
      while (p.up.size() > desired) {
        // the cloud takes the newest nodes first; any order would do, this one is stable
        String node = p.up.remove(p.up.size() - 1);
        Instant deadline = at.plus(window);
        p.noticed.put(node, deadline);
        notices++;
        out.add(new Noticed(node, p.spec.name(), at, deadline));
      }
      while (p.up.size() < desired) {
        String node = p.spec.name() + "-n" + (++p.serial);
        p.up.add(node);
        added++;
        out.add(new Added(node, p.spec.name(), p.spec.zone(), at));
      }
    }
  }

  private void removeDue(Instant until, List<NodeEvent> out) {
    List<Removed> due = new ArrayList<>();
    for (PoolState p : pools) {
      var it = p.noticed.entrySet().iterator();
      while (it.hasNext()) {
        var e = it.next();
        if (!e.getValue().isAfter(until)) {
          due.add(new Removed(e.getKey(), p.spec.name(), e.getValue()));
          it.remove();
          removed++;
        }
      }
    }
    due.sort(Comparator.comparing(Removed::at).thenComparing(Removed::node));
    out.addAll(due);
  }

  /** Spot machines of a tick; none before the trace starts or after it ends. */
  private static int machines(Trace trace, int t) {
    return t < 0 || t >= trace.ticks() ? 0 : trace.machines()[t];
  }

  private static final class PoolState {
    final SpotPool spec;
    final List<String> up = new ArrayList<>();
    final Map<String, Instant> noticed = new LinkedHashMap<>();
    int serial;

    PoolState(SpotPool spec) {
      this.spec = spec;
    }
  }
}
