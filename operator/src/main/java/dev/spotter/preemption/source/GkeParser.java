package dev.spotter.preemption.source;

import dev.spotter.preemption.Cloud;
import dev.spotter.preemption.NoticeKind;
import dev.spotter.preemption.NoticeSource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * GKE: taint {@code cloud.google.com/impending-node-termination:NoSchedule}, set while a node shuts
 * down gracefully. On a Spot or preemptible node ({@code cloud.google.com/gke-spot=true} or {@code
 * cloud.google.com/gke-preemptible=true}) that is a preemption; elsewhere it is a termination.
 */
public final class GkeParser extends TaintNoticeParser {
  static final String IMPENDING_TERMINATION = "cloud.google.com/impending-node-termination";

  public GkeParser() {
    super(NoticeSource.Gke, Map.of(IMPENDING_TERMINATION, GkeParser::kind));
  }

  private static NoticeKind kind(Node node, Taint taint) {
    boolean spot =
        Nodes.labelIs(node, "cloud.google.com/gke-spot", "true")
            || Nodes.labelIs(node, "cloud.google.com/gke-preemptible", "true");
    return spot ? NoticeKind.SpotInterruption : NoticeKind.Termination;
  }

  @Override
  Cloud cloud(Node node) {
    return Cloud.Gcp;
  }
}
