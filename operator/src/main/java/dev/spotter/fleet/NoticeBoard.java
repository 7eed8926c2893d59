package dev.spotter.fleet;

import dev.spotter.preemption.Notice;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.source.NoticeParsers;
import io.fabric8.kubernetes.api.model.Node;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The preemption notices in force, one per node (the most urgent), kept from the node watch.
 * A notice keeps the time it was first seen, so re-reading the same taint changes nothing.
 */
final class NoticeBoard {
  /** A notice and when this operator first saw it (monotonic nanos, for latency metrics). */
  record Seen(Notice notice, long seenNanos) {}

  private final NoticeParsers parsers;
  private final Clock clock;
  private final Map<String, Seen> byNode = new ConcurrentHashMap<>();

  NoticeBoard(NoticeParsers parsers, Clock clock) {
    this.parsers = parsers;
    this.clock = clock;
  }

  /** Re-reads a node; calls {@code onNew} when a notice appears or a more urgent one replaces it. */
  void observe(Node node, Consumer<Seen> onNew) {
    update(node.getMetadata().getName(), parsers.fromNode(node), onNew);
  }

  void deleted(Node node, Consumer<Seen> onNew) {
    update(node.getMetadata().getName(), parsers.fromDeletedNode(node), onNew);
  }

  private void update(String node, List<Notice> notices, Consumer<Seen> onNew) {
    Notice best = null;
    for (Notice n : notices) {
      if (best == null || best.supersededBy(n)) {
        best = n;
      }
    }
    if (best == null) {
      byNode.remove(node); // the taint was removed: the notice is dismissed
      return;
    }
    Seen old = byNode.get(node);
    if (old != null && old.notice().kind() == best.kind() && old.notice().source() == best.source()) {
      return;
    }
    if (old != null && !old.notice().supersededBy(best)) {
      return;
    }
    Seen seen = new Seen(best, System.nanoTime());
    byNode.put(node, seen);
    onNew.accept(seen);
  }

  Seen on(String node) {
    return byNode.get(node);
  }

  /** Nodes whose notice forbids new work (every kind but an expired NodeGone record). */
  boolean blocksNewWork(String node) {
    return byNode.containsKey(node);
  }

  Map<String, Seen> all() {
    return Map.copyOf(byNode);
  }

  /** Forgets records of nodes that are long gone. */
  void purgeGone(java.util.function.Predicate<String> exists) {
    byNode.entrySet().removeIf(e -> e.getValue().notice().kind() == NoticeKind.NodeGone
        && !exists.test(e.getKey())
        && e.getValue().notice().observedAt().isBefore(clock.instant().minus(Duration.ofMinutes(10))));
  }
}
